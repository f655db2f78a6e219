from django.urls import path

from surveys import views

app_name = "s"

urlpatterns = [
    path("<slug:code>/", views.answer, name="answer"),
    path("<slug:code>/done/", views.thanks, name="thanks"),
]

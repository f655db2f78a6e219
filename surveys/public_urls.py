from django.urls import path

from surveys.views import public

app_name = "s"

urlpatterns = [
    path("<slug:code>/", public.answer, name="answer"),
    path("<slug:code>/done/", public.thanks, name="thanks"),
]

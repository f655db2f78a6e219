from django.urls import path

from measures import views

app_name = "public"

urlpatterns = [
    path("<slug:agency>/<int:year>/", views.public_plan, name="plan"),
]

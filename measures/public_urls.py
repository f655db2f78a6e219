from django.urls import path

from measures.views import plans

app_name = "public"

urlpatterns = [
    path("<slug:agency>/<int:year>/", plans.public_plan, name="plan"),
]

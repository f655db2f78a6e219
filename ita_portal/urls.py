from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from ita_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("assessments/", include("assessments.urls")),
    path("measures/", include("measures.urls")),
    path("public/", include("measures.public_urls")),
    path("imports/", include("assessments.import_urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
]

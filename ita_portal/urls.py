from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts import passwords
from accounts.views import password_reset
from ita_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Django's auth views with the portal's forms (accounts.passwords), then the rest of them.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=passwords.AuthenticationForm),
        name="login",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=passwords.PasswordChangeForm),
        name="password_change",
    ),
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=passwords.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("assessments/", include("assessments.urls")),
    path("measures/", include("measures.urls")),
    path("public/", include("measures.public_urls")),
    path("imports/", include("imports.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("jobs/", include("jobs.urls")),
    path("oit/", include("oit.urls")),
    path("surveys/", include("surveys.urls")),
    path("s/", include("surveys.public_urls")),
]

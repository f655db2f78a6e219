"""An administrator manages the users, units and locked-out logins of their own agency."""

from django.contrib import messages
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import passwords, selectors, services
from accounts.forms import NewUserForm, SetPasswordForm, UnitForm, UserForm
from accounts.models import Unit, User
from accounts.roles import Role
from ita_portal.access import (
    can_manage_account,
    get_rw_user_for_user,
    get_unit_for_user,
    role_required,
    users_for_user,
)
from ita_portal.security import client_ip


@role_required(Role.ADMIN)
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    """List the users of the administrator's agency with their roles and units."""
    users = (
        users_for_user(request.user)
        .filter(agency_id=request.user.agency_id)
        .prefetch_related("units", "groups")
        .order_by("username")
    )
    for account in users:
        account.manageable = can_manage_account(request.user, account)
    return render(request, "accounts/user_list.html", {"users": users})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    agency = request.user.agency
    form = NewUserForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            agency=agency,
            username=data["username"],
            password=data["password1"],
            role=Role(data["role"]),
            units=data["units"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
        )
        messages.success(request, _("User %(name)s was created.") % {"name": user.username})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_rw_user_for_user(request.user, pk)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "units": list(user.units.all()),
        "is_active": user.is_active,
    }
    form = UserForm(request.POST or None, initial=initial, agency=user.agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if user.pk == request.user.pk and (data["role"] != Role.ADMIN or not data["is_active"]):
            form.add_error(None, _("You cannot remove your own administrator role or account."))
        else:
            services.user_update(user=user, role=Role(data["role"]), **_fields(data))
            messages.success(request, _("User %(name)s was saved.") % {"name": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "subject": user})


def _fields(data: dict) -> dict:
    keys = ("units", "first_name", "last_name", "email", "is_active")
    return {key: data[key] for key in keys}


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_rw_user_for_user(request.user, pk)
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(user=user, password=form.cleaned_data["password1"])
        messages.success(request, _("The password of %(name)s was set.") % {"name": user.username})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_password.html", {"form": form, "subject": user})


@role_required(Role.ADMIN)
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    """List the agency's units as a tree order (parents before their sub-units)."""
    units = (
        Unit.objects.for_user(request.user)
        .filter(agency_id=request.user.agency_id)
        .select_related("parent")
        .prefetch_related(Prefetch("members", queryset=User.objects.only("pk")))
    )
    return render(request, "accounts/unit_list.html", {"units": units})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk) if pk else None
    initial = (
        {"code": unit.code, "name_th": unit.name_th, "name_en": unit.name_en, "parent": unit.parent}
        if unit
        else {}
    )
    form = UnitForm(request.POST or None, initial=initial, agency=request.user.agency, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.unit_save(agency=request.user.agency, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("parent", error)
        else:
            messages.success(request, _("Unit %(code)s was saved.") % {"code": saved.code})
            return redirect("accounts:unit_list")
    return render(request, "accounts/unit_form.html", {"form": form, "subject": unit})


@role_required(Role.ADMIN)
@require_GET
def lockout_list(request: HttpRequest) -> HttpResponse:
    """List the agency's users with failed logins, saying who is locked out now."""
    users = users_for_user(request.user).filter(agency_id=request.user.agency_id)
    found = selectors.lockouts(users, now=timezone.now())
    return render(request, "accounts/lockout_list.html", {"lockouts": found})


@role_required(Role.ADMIN)
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Forget a user's failed logins, so that they can log in again at once."""
    account = get_rw_user_for_user(request.user, pk)
    services.lockout_clear(account=account, by=request.user)
    messages.success(
        request,
        _("%(name)s can log in again: the failed logins were cleared.")
        % {"name": account.username},
    )
    return redirect("accounts:lockout_list")


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, mailing one address (or from one client) a few times an hour.

    A throttled request answers exactly as a mailed one does, so that it reveals nothing.
    """

    form_class = passwords.PasswordResetForm

    def form_valid(self, form) -> HttpResponse:
        email, ip = form.cleaned_data["email"], client_ip(self.request)
        if services.password_reset_allowed(email=email, ip=ip):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


password_reset = ThrottledPasswordResetView.as_view()

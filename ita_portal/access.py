"""Who may see and change what: the one place every view asks.

One idiom, as healthchecks' `_get_check_for_user`:
- a role is checked with the `@role_required(Role.X)` decorator;
- an agency's object is fetched with `get_<obj>_for_user(user, ...)`, which answers 404 for
  objects of another agency (hiding that they exist), built on the model's `for_user()` queryset;
- an object the user is about to change is fetched with `get_rw_<obj>_for_user(user, ...)`,
  which also answers 403 when the user may read but not change it (wrong role or unit).
The data boundary (docs/decisions.md): an agency's own assessments, plans, reports, evidence,
import batches and users belong to it; instrument versions and other agencies' published results
are portal-wide reference data that only a data steward (or a superuser) changes.

Which role may change what, in the functions below:
- its own agency's data: the agency's users by role (`role_required`, `get_rw_*`), after
  `can_see_agency` (own agency only; superusers any);
- reference data: `can_change_reference_data` (data stewards and superusers; a steward is
  portal-wide, whatever agency their account names);
- the Django admin, which is not scoped to an agency: `can_use_django_admin` (superusers and
  stewards only; ita_portal.admin);
- portal-wide accounts (superusers, stewards): `can_manage_account`, so that no agency admin
  changes, resets or disables them; only a superuser grants the steward role
  (`manage.py steward`).
Each app's helpers live in its own section below.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import Agency, Unit, User
from accounts.roles import Role


def role_required(*roles: Role) -> Callable:
    """Refuse (403) a signed-in user who holds none of the roles; superusers pass."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can_see_agency(user: User, agency: Agency) -> bool:
    """Tell whether a user may read an agency's own data (their agency, or any for superusers)."""
    return user.is_superuser or (user.agency_id is not None and user.agency_id == agency.pk)


def get_agency_for_user(user: User, code: str) -> Agency:
    """Return the agency with that code if the user may read it; 404 otherwise, hiding it."""
    agency = get_object_or_404(Agency, code=code)
    if not can_see_agency(user, agency):
        raise Http404
    return agency


def can_change_reference_data(user: User) -> bool:
    """Tell whether a user may change portal-wide reference data: stewards and superusers."""
    return user.is_authenticated and user.is_active and user.is_steward


def can_use_django_admin(user: User) -> bool:
    """Tell whether a user may open the Django admin, which sees every agency's rows."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.is_steward)
    )


def can_edit_for_units(user: User, units: list[Unit] | set[int]) -> bool:
    """Tell whether a user may write on behalf of any of these units (admins: always)."""
    if user.is_portal_admin:
        return True
    unit_ids = {u if isinstance(u, int) else u.pk for u in units}
    return user.has_role(Role.STAFF, Role.MANAGER) and bool(user.unit_ids & unit_ids)


# --- accounts -------------------------------------------------------------------------------------


def can_manage_account(user: User, account: User) -> bool:
    """Tell whether user may change account: an admin of its agency, unless it is portal-wide."""
    if user.is_superuser:
        return True
    if account.is_superuser or account.is_steward:
        return False
    return (
        user.is_portal_admin
        and account.agency_id is not None
        and account.agency_id == user.agency_id
    )


def users_for_user(user: User) -> QuerySet[User]:
    """Return the accounts of the user's agency (superusers: every account)."""
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(agency_id=user.agency_id) if user.agency_id else User.objects.none()


def get_user_for_user(user: User, pk: int) -> User:
    """Return a user account of the user's agency; 404 for accounts of other agencies."""
    return get_object_or_404(users_for_user(user), pk=pk)


def get_rw_user_for_user(user: User, pk: int) -> User:
    """Return an account the user may change; 404 for other agencies, 403 for portal-wide ones."""
    account = get_user_for_user(user, pk)
    if not can_manage_account(user, account):
        raise PermissionDenied
    return account


def get_unit_for_user(user: User, pk: int) -> Unit:
    """Return a unit of the user's agency; 404 for units of other agencies."""
    return get_object_or_404(Unit.objects.for_user(user), pk=pk)


# --- assessments ----------------------------------------------------------------------------------

# --- imports --------------------------------------------------------------------------------------

# --- measures -------------------------------------------------------------------------------------

# --- reports --------------------------------------------------------------------------------------

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
Each app's helpers live in its own section below.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import Agency, Unit, User
from accounts.roles import Role
from assessments.models import Assessment
from measures.models import Round


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


def can_edit_for_units(user: User, units: list[Unit] | set[int]) -> bool:
    """Tell whether a user may write on behalf of any of these units (admins: always)."""
    if user.is_portal_admin:
        return True
    unit_ids = {u if isinstance(u, int) else u.pk for u in units}
    return user.has_role(Role.STAFF, Role.MANAGER) and bool(user.unit_ids & unit_ids)


# --- accounts -------------------------------------------------------------------------------------

# --- assessments ----------------------------------------------------------------------------------


def get_assessment_for_user(user: User, agency_code: str, year: int) -> Assessment:
    """Return an agency's assessment of a year if the user may read it; 404 otherwise.

    One query; the agency and the instrument version come with it.
    """
    return get_object_or_404(
        Assessment.objects.for_user(user).select_related("agency", "version"),
        agency__code=agency_code,
        fiscal_year=year,
    )


# --- imports --------------------------------------------------------------------------------------

# --- measures -------------------------------------------------------------------------------------

# --- reports --------------------------------------------------------------------------------------


def get_round_for_user(user: User, agency_code: str, year: int, number: int) -> Round:
    """Return a round of the agency's plan of a year if the user may read it; 404 otherwise."""
    agency = get_agency_for_user(user, agency_code)
    return get_object_or_404(
        Round.objects.select_related("plan__agency"),
        plan__agency=agency,
        plan__fiscal_year=year,
        number=number,
    )

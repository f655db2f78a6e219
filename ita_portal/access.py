"""Access rules shared by every app's views: roles, and the agency a user may see."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
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


def can_edit_for_units(user: User, units: list[Unit] | set[int]) -> bool:
    """Tell whether a user may write on behalf of any of these units (admins: always)."""
    if user.is_portal_admin:
        return True
    unit_ids = {u if isinstance(u, int) else u.pk for u in units}
    return user.has_role(Role.STAFF, Role.MANAGER) and bool(user.unit_ids & unit_ids)

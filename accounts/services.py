"""Writes that concern users, roles and units."""

import hashlib
import logging
from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Agency, Unit, User
from accounts.roles import AGENCY_ROLES, Role, permission_matches

logger = logging.getLogger(__name__)


@transaction.atomic
def roles_sync(*, apps=global_apps) -> dict[Role, int]:
    """Create the role groups and give each exactly the permissions its patterns name."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=apps)
    permissions = list(Permission.objects.select_related("content_type"))
    counts = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = [
            p for p in permissions if permission_matches(role, p.content_type.app_label, p.codename)
        ]
        group.permissions.set(wanted)
        counts[role] = len(wanted)
    return counts


def _set_agency_role(user: User, role: Role) -> None:
    """Give the user exactly one agency role, keeping any portal-wide group (steward)."""
    if role not in AGENCY_ROLES:
        raise ValidationError(_("This role is not an agency role."), code="not_agency_role")
    kept = list(user.groups.exclude(name__in=[r.value for r in AGENCY_ROLES]))
    user.groups.set([*kept, Group.objects.get(name=role.value)])


@transaction.atomic
def user_create(
    *,
    agency: Agency,
    username: str,
    password: str,
    role: Role,
    units: Iterable[Unit] = (),
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create an active user of an agency with one role and some of the agency's units."""
    user = User(
        agency=agency,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    _set_agency_role(user, role)
    user.units.set(_units_of(agency, units))
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    role: Role,
    units: Iterable[Unit],
    first_name: str,
    last_name: str,
    email: str,
    is_active: bool,
) -> User:
    """Change a user's names, e-mail, role, units and whether the account may log in."""
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_active = is_active
    # The Django admin is for superusers and stewards only (ita_portal.admin); an agency
    # admin of an older release had is_staff, which this clears.
    user.is_staff = user.is_superuser or user.is_steward
    user.full_clean()
    user.save()
    _set_agency_role(user, role)
    user.units.set(_units_of(user.agency, units))
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str) -> None:
    """Replace a user's password (an administrator resetting it)."""
    user.set_password(password)
    user.save(update_fields=["password"])


def _units_of(agency: Agency, units: Iterable[Unit]) -> list[Unit]:
    units = list(units)
    foreign = [u for u in units if u.agency_id != agency.pk]
    if foreign:
        raise ValidationError(
            _("Unit %(code)s belongs to another agency."),
            code="foreign_unit",
            params={"code": foreign[0].code},
        )
    return units


@transaction.atomic
def unit_save(
    *,
    agency: Agency,
    code: str,
    name_th: str,
    name_en: str = "",
    parent: Unit | None = None,
    unit: Unit | None = None,
) -> Unit:
    """Create a unit of an agency, or update the given one."""
    unit = unit or Unit(agency=agency)
    if parent is not None:
        if parent.agency_id != agency.pk:
            raise ValidationError(
                _("The parent unit belongs to another agency."), code="foreign_parent"
            )
        ancestor = parent
        while ancestor is not None:
            if unit.pk and ancestor.pk == unit.pk:
                raise ValidationError(
                    _("A unit cannot be inside itself or one of its own sub-units."),
                    code="parent_cycle",
                )
            ancestor = ancestor.parent
    unit.code, unit.name_th, unit.name_en, unit.parent = code, name_th, name_en, parent
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def steward_set(*, user: User, steward: bool) -> User:
    """Grant or withdraw the portal-wide data-steward role (and with it the Django admin)."""
    group = Group.objects.get(name=Role.STEWARD.value)
    if steward:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    user.is_staff = steward or user.is_superuser
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("role_names", None)
    return user


@transaction.atomic
def lockout_clear(*, account: User, by: User) -> int:
    """Forget an account's failed logins, unlocking it from every address; return how many."""
    cleared = axes_reset(username=account.username)
    logger.info("%s cleared %d failed-login records of %s", by.username, cleared, account.username)
    return cleared


PASSWORD_RESET_WINDOW = 3600  # seconds


def password_reset_allowed(*, email: str, ip: str) -> bool:
    """Count a password-reset request; tell whether it may send mail (per address and per IP)."""
    throttle = caches["throttle"]
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    keys = {
        f"password-reset:email:{address}": settings.PASSWORD_RESET_PER_EMAIL,
        f"password-reset:ip:{ip}": settings.PASSWORD_RESET_PER_IP,
    }
    allowed = True
    for key, limit in keys.items():
        throttle.add(key, 0, timeout=PASSWORD_RESET_WINDOW)
        try:
            count = throttle.incr(key)
        except ValueError:  # expired between add and incr
            throttle.set(key, count := 1, timeout=PASSWORD_RESET_WINDOW)
        allowed = allowed and count <= limit
    if not allowed:
        logger.warning("password reset throttled for address %s… from %s", address[:12], ip)
    return allowed

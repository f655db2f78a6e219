"""Writes that concern users, roles and units."""

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Agency, Unit, User
from accounts.roles import Role, permission_matches


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


def _role_groups(role: Role) -> list[Group]:
    return [Group.objects.get(name=role.value)]


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
        is_staff=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(_role_groups(role))
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
    user.is_staff = role == Role.ADMIN
    user.full_clean()
    user.save()
    user.groups.set(_role_groups(role))
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

"""Writes that concern users, roles and units."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

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

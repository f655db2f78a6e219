"""The three portal roles and the permissions each role's group holds.

Permissions are named as "app_label.codename" patterns (fnmatch), so an app's new models
and custom permissions reach the right groups without touching this file.
"""

from fnmatch import fnmatch

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")
    # Portal-wide, not one agency's: keeps the shared reference data (instrument versions,
    # published results of every agency). Only a superuser grants it.
    STEWARD = "steward", _("Data steward")


# The roles an agency's own admin may give to the agency's users.
AGENCY_ROLES = (Role.STAFF, Role.MANAGER, Role.ADMIN)


ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.STAFF: (
        "accounts.view_agency",
        "accounts.view_unit",
        "assessments.view_*",
        "measures.view_*",
        "measures.add_progressreport",
        "measures.change_progressreport",
        "measures.add_evidence",
        "measures.delete_evidence",
    ),
    Role.MANAGER: (
        "accounts.view_*",
        "assessments.view_*",
        "measures.view_*",
        "measures.approve_progressreport",
        "reports.*",
    ),
    Role.ADMIN: (
        "accounts.*",
        "assessments.*",
        "measures.*",
        "reports.*",
        "axes.*",
    ),
    Role.STEWARD: (
        "accounts.view_agency",
        "accounts.add_agency",
        "accounts.change_agency",
        "assessments.*",
    ),
}


def permission_matches(role: Role, app_label: str, codename: str) -> bool:
    """Tell whether a role's group should hold the permission app_label.codename."""
    name = f"{app_label}.{codename}"
    return any(fnmatch(name, pattern) for pattern in ROLE_PERMISSIONS[role])

"""The portal roles and the Django model permissions each role's group holds.

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


# Django model permissions open only the Django admin, which is for data stewards and
# superusers (ita_portal.admin). Agency roles act in the portal, whose views check the role
# and the object's agency (ita_portal.access): their groups hold no model permission, so that
# an agency admin who is also a steward sees no agency's plans, reports or users in the admin.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.STAFF: (),
    Role.MANAGER: (),
    Role.ADMIN: (),
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

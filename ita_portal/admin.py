"""The Django admin: kept for superusers and data stewards, never for an agency's admin.

Agencies manage their own data in the portal, whose views scope every object to the user's
agency (ita_portal.access). The Django admin is not scoped; so it is open only to those who
may see every agency (docs/decisions.md):
- superusers, who see and change everything;
- data stewards (Role.STEWARD), who see what their group's model permissions name: the
  portal-wide reference data (instrument versions, published results, agency names).
An agency's own rows (plans, reports, evidence, users, units) are registered with
SuperuserOnlyMixin, so no group permission given by mistake opens them to a steward.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ita_portal.access import can_use_django_admin


class PortalAdminSite(admin.AdminSite):
    """The default admin site, open to superusers and data stewards only."""

    site_header = _("ITA Portal administration")
    site_title = _("ITA Portal administration")
    index_title = _("Reference data and portal administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return can_use_django_admin(request.user)


class SuperuserOnlyMixin:
    """An agency's own data: only a superuser opens it here (agencies use the portal)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

"""Agencies are reference data (stewards keep their names); units and users are superusers' only.

Agency admins manage their own users and units in the portal (/accounts/users/, /accounts/units/);
a superuser grants the data-steward role here (the groups field) or with `manage.py steward`.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit, User
from ita_portal.admin import SuperuserOnlyMixin


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "abbreviation", "ministry", "level"]
    list_filter = ["level", "ministry"]
    search_fields = ["code", "name_th", "name_en", "abbreviation"]


@admin.register(Unit)
class UnitAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "name_th", "agency", "parent"]
    list_filter = ["agency"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["agency", "parent"]


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Agency and units"), {"fields": ("agency", "units")}),
    )
    list_display = ["username", "first_name", "last_name", "agency", "is_active", "is_staff"]
    list_filter = ["agency", "groups", "is_active", "is_staff", "is_superuser"]
    filter_horizontal = ["groups", "user_permissions", "units"]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit, User


class AgencyScopedAdmin(admin.ModelAdmin):
    """Show a non-superuser only the rows of their own agency (agency_path names the link)."""

    agency_path = "agency"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.agency_path: request.user.agency_id})


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "abbreviation", "ministry", "level"]
    list_filter = ["level", "ministry"]
    search_fields = ["code", "name_th", "name_en", "abbreviation"]


@admin.register(Unit)
class UnitAdmin(AgencyScopedAdmin):
    list_display = ["code", "name_th", "agency", "parent"]
    list_filter = ["agency"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["agency", "parent"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, AgencyScopedAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Agency and units"), {"fields": ("agency", "units")}),
    )
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency", "groups", "is_active"]
    filter_horizontal = ["groups", "user_permissions", "units"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser may hand out superuser rights, raw permissions or another agency.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "user_permissions", "agency", "last_login", "date_joined"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "units" and not request.user.is_superuser:
            kwargs["queryset"] = Unit.objects.filter(agency_id=request.user.agency_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and not change:
            obj.agency_id = request.user.agency_id
        super().save_model(request, obj, form, change)

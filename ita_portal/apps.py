from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ItaPortalConfig(AppConfig):
    name = "ita_portal"
    verbose_name = "ITA Portal"

    def ready(self) -> None:
        from ita_portal import generations
        from ita_portal.files import connect_file_removal

        connect_file_removal()
        generations.connect()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site: superusers and data stewards only."""

    default = False  # ItaPortalConfig stays this module's config of the ita_portal app
    default_site = "ita_portal.admin.PortalAdminSite"

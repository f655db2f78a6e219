from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Score imports")

    def ready(self) -> None:
        from imports import checks  # noqa: F401  (registers the system checks)
        from imports.blocked import waiting_uploads
        from notifications.blocked import register

        register(waiting_uploads)

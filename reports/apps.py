import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    demo_loader = "reports.demo.load"

    def ready(self) -> None:
        # WeasyPrint logs each of its seven layout steps of every PDF at INFO; keep its warnings.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

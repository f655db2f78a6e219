from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")
    demo_loader = "assessments.demo.load"

    def ready(self) -> None:
        from assessments.standings import connect

        connect()

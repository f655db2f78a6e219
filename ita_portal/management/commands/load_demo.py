"""Load the seed's demo data (idempotent): every app that declares a demo_loader runs it in turn."""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load demo data: agency OIE, its units, scores, history, 2564 plan and demo users."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on production)."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo refuses to run with DEBUG off: demo users have a published password. "
                "Use --force only on a test machine."
            )
        for app_config in apps.get_app_configs():
            loader = getattr(app_config, "demo_loader", None)
            if loader:
                import_string(loader)(self.stdout)

from django.core.management.base import BaseCommand

from surveys.services import drafts_expire


class Command(BaseCommand):
    help = "Delete survey drafts nobody has touched for SURVEY_DRAFT_DAYS days."

    def handle(self, *args, **options) -> None:
        deleted = drafts_expire()
        self.stdout.write(f"{deleted} survey drafts deleted.")

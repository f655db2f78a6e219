"""Queue the daily digest e-mail of everyone who chose one instead of single e-mails."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.services import digest_send


class Command(BaseCommand):
    help = "Queue each digest reader's e-mail of unread notifications (once per user and day)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="Act as if today were YYYY-MM-DD."
        )

    def handle(self, *args, date: dt.date | None = None, **options) -> None:
        day = date or timezone.localdate()
        queued = digest_send(day=day)
        self.stdout.write(f"{queued} digest e-mail(s) queued for {day.isoformat()}")

"""E-mail the people responsible for reports due within 7 days or overdue; once a day at most."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from measures.reminders import reminders_send


class Command(BaseCommand):
    help = "E-mail reminders for progress reports due within 7 days or overdue (once a day)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="Act as if today were YYYY-MM-DD."
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="The portal's address for links (default: the PORTAL_URL setting)",
        )

    def handle(self, *args, date: dt.date | None = None, base_url: str = "", **options) -> None:
        today = date or timezone.localdate()
        base_url = (base_url or settings.PORTAL_URL).rstrip("/")
        sent = reminders_send(today=today, base_url=base_url)
        self.stdout.write(f"{sent} reminder e-mail(s) sent for {today.isoformat()}")

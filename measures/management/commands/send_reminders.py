"""E-mail the owners of progress reports due within 7 days or overdue; at most once a day."""

import datetime as dt

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
            help="The portal's address for links, e.g. https://ita.example.go.th",
        )

    def handle(self, *args, date: dt.date | None = None, base_url: str = "", **options) -> None:
        today = date or timezone.localdate()
        sent = reminders_send(today=today, base_url=base_url.rstrip("/"))
        self.stdout.write(f"{sent} reminder e-mail(s) sent for {today.isoformat()}")

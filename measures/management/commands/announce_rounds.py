"""Tell the people responsible for a plan's activities that a reporting round has opened."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from measures.reminders import rounds_announce


class Command(BaseCommand):
    help = "Notify everyone responsible of the rounds open today (once per round and person)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="Act as if today were YYYY-MM-DD."
        )

    def handle(self, *args, date: dt.date | None = None, **options) -> None:
        today = date or timezone.localdate()
        told = rounds_announce(today=today)
        self.stdout.write(f"{told} people told of rounds open on {today.isoformat()}")

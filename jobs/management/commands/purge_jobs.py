"""Delete finished background jobs older than --days (and their result files); daily in cron."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.models import Job


class Command(BaseCommand):
    help = "Delete done and failed background jobs older than --days days, with their files."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days: int, **options) -> None:
        cutoff = timezone.now() - dt.timedelta(days=days)
        old = Job.objects.filter(
            status__in=[Job.Status.DONE, Job.Status.FAILED], created_at__lt=cutoff
        )
        count = 0
        for job in old.iterator():
            if job.result_file:
                job.result_file.delete(save=False)
            job.delete()
            count += 1
        self.stdout.write(f"Deleted {count} background jobs finished before {cutoff:%Y-%m-%d}.")

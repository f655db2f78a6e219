"""Write a backup archive: every app's rows, the media files and a manifest (docs/operations.md)."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ita_portal.backup import backup_create
from jobs.services import enqueue


class Command(BaseCommand):
    help = "Back up the database (every app, history and users included) and MEDIA_ROOT."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive to write (default: BACKUP_DIR/ita-portal-<time>.tar.gz).",
        )
        parser.add_argument(
            "--in-background",
            metavar="SUPERUSER",
            help="Queue the backup for the worker as this superuser's job (seen at /jobs/).",
        )

    def handle(self, *args, output: Path | None = None, in_background=None, **options) -> None:
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BACKUP_DIR) / f"ita-portal-{stamp}.tar.gz"
        if in_background:
            owner = get_user_model().objects.filter(username=in_background).first()
            if owner is None or not owner.is_superuser:
                raise CommandError(f"{in_background!r} is not a superuser's username.")
            arguments = {"output": str(output)}
            job = enqueue("backup", owner=owner, title=f"Backup {output.name}", arguments=arguments)
            status = job.get_status_display()
            self.stdout.write(f"Job {job.pk} ({status}): /jobs/{job.pk}/ {job.message}")
            return
        manifest = backup_create(output=output)
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Wrote {output} ({output.stat().st_size:,} bytes): {rows:,} rows in "
            f"{len(manifest['rows'])} tables, {len(manifest['files']):,} media files."
        )

"""Write a backup archive: every app's rows, the media files and a manifest (docs/operations.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from ita_portal.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database (every app, history and users included) and MEDIA_ROOT."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive to write (default: BACKUP_DIR/ita-portal-<time>.tar.gz).",
        )

    def handle(self, *args, output: Path | None = None, **options) -> None:
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BACKUP_DIR) / f"ita-portal-{stamp}.tar.gz"
        manifest = backup_create(output=output)
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Wrote {output} ({output.stat().st_size:,} bytes): {rows:,} rows in "
            f"{len(manifest['rows'])} tables, {len(manifest['files']):,} media files."
        )

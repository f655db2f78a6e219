"""Replace the database and media files with a backup archive's, after checking all of it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ita_portal.backup import BackupError, backup_restore, backup_staged


class Command(BaseCommand):
    help = (
        "Restore a backup archive: check it whole, then WIPE the database and MEDIA_ROOT and "
        "load the archive's rows and files. Stop the portal first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="A .tar.gz written by `manage.py backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, archive: Path, yes: bool = False, **options) -> None:
        try:
            with backup_staged(archive=archive) as staged:
                manifest = staged.manifest
                rows = sum(manifest["rows"].values())
                self.stdout.write(
                    f"{archive}: made {manifest['created']} on {manifest['database']}, "
                    f"{rows:,} rows, {len(manifest['files']):,} media files; checksums match."
                )
                if not yes and not self._confirmed():
                    raise CommandError("Restore cancelled; nothing was changed.")
                backup_restore(staged=staged)
        except BackupError as error:
            raise CommandError(f"Restore refused: {error} Nothing was changed.") from None
        self.stdout.write(self.style.SUCCESS(f"Restored {rows:,} rows and the media files."))

    def _confirmed(self) -> bool:
        answer = input("This wipes the database and the media files. Type 'yes' to go on: ")
        return answer.strip().lower() == "yes"

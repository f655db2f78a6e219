"""Import a score workbook from the shell, with the same per-row report as the portal's preview."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports.report import CHANGED, ERROR, NEW, STATUSES, RowReport
from imports.services import scores_import


class Command(BaseCommand):
    help = "Import a score workbook (.xlsx, docs/import-format.md); --dry-run only reports."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the workbook (.xlsx)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report every row; store nothing"
        )
        parser.add_argument("--user", help="username recorded as the importer (default: none)")
        parser.add_argument(
            "--summary", action="store_true", help="print the counts only, not every row"
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user named {options['user']!r}")
        on_row = None if options["summary"] else self._row
        with path.open("rb") as file:
            # The shell is trusted like a data steward: --user only names who imported.
            report = scores_import(
                file=file,
                file_name=path.name,
                user=user,
                dry_run=options["dry_run"],
                on_row=on_row,
                as_steward=True,
            )
        counts = ", ".join(f"{status} {report.counts[status]}" for status in STATUSES)
        self.stdout.write(f"{report.file_name}: {counts}")
        if report.refused:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{report.file_name} refused: nothing was stored")
        if report.batch is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"stored as batch {report.batch.pk}: {report.counts[NEW]} new, "
                    f"{report.counts[CHANGED]} changed"
                )
            )
        elif report.dry_run:
            self.stdout.write("dry run: nothing was stored")
        else:
            self.stdout.write("nothing to store: every row is already stored")

    def _row(self, row: RowReport) -> None:
        detail = (
            row.message if row.status == ERROR else " → ".join(v for v in (row.old, row.new) if v)
        )
        self.stdout.write(f"{row.sheet}\t{row.row}\t{row.status}\t{row.key}\t{detail}")

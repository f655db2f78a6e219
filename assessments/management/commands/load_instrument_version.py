"""Create or update a fiscal year's instrument version from a JSON file (idempotent)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.models import InstrumentVersion
from assessments.services import instrument_version_dump, instrument_version_load


class Command(BaseCommand):
    help = (
        "Load an instrument version from JSON in the shape of assessments/data/ita2563.json, "
        "or with --dump YEAR print a version in that shape (to start next year's file)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="JSON file to load")
        parser.add_argument("--dump", type=int, metavar="YEAR", help="print a version as JSON")

    def handle(self, *args, file: str | None = None, dump: int | None = None, **options) -> None:
        if dump is not None:
            version = InstrumentVersion.objects.nacc().filter(fiscal_year=dump).first()
            if version is None:
                raise CommandError(f"no instrument version for fiscal year {dump}")
            data = instrument_version_dump(version=version)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if not file:
            raise CommandError("give a JSON file to load, or --dump YEAR")
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8"))
            version = instrument_version_load(data=data)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{file}: cannot load: {error!r}") from error
        except ValidationError as error:
            raise CommandError(f"{file}: invalid: {error.messages}") from error
        self.stdout.write(
            f"Instrument version {version.fiscal_year}: {version.questions.count()} questions "
            f"and items, {version.indicators.count()} indicators"
        )

"""System checks: what the score import needs from the database it runs on."""

from __future__ import annotations

import sqlite3
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

# Changed scores are written with UPDATE … FROM (VALUES …), which SQLite has from 3.33.
SQLITE_MINIMUM = (3, 33, 0)


@register()
def check_sqlite_version(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Refuse an SQLite library too old for the import's UPDATE … FROM statements."""
    engines = {database["ENGINE"] for database in settings.DATABASES.values()}
    if "django.db.backends.sqlite3" not in engines or sqlite3.sqlite_version_info >= SQLITE_MINIMUM:
        return []
    return [
        Error(
            f"SQLite {sqlite3.sqlite_version} is too old for score imports (3.33 or newer needed).",
            hint="Use Python built against a newer SQLite, or PostgreSQL (DATABASE_URL).",
            id="assessments.E001",
        )
    ]

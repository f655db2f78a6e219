from pathlib import Path

import pytest
from django.conf import settings

from tests.base import Personas

# Password hashing at production strength costs ~0.3 s per user; tests create many users.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A reused SQLite test database lives in this file (the default one is in memory, gone at exit).
REUSED_SQLITE = Path(__file__).resolve().parent.parent / ".test-db.sqlite3"


def pytest_configure(config) -> None:
    # `--reuse-db` (make test outside CI) keeps the migrated test database between runs; a new
    # migration is applied to it, `--create-db` builds it afresh. SQLite can only keep a file.
    database = settings.DATABASES["default"]
    if config.getoption("reuse_db", False) and database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(REUSED_SQLITE)
        # A throw-away file: no waiting for the disk at each commit of the transactional tests.
        database.setdefault("OPTIONS", {})["init_command"] = (
            "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY"
        )


@pytest.fixture
def personas(db) -> Personas:
    """The standard cast: staff, other_staff, manager, admin, outsider, outsider_admin."""
    return Personas()

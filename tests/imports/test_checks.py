"""System checks of the assessments app."""

from types import SimpleNamespace
from unittest import mock

from django.core.checks import run_checks

from imports.checks import check_sqlite_version

SQLITE = SimpleNamespace(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3"}})
POSTGRESQL = SimpleNamespace(DATABASES={"default": {"ENGINE": "django.db.backends.postgresql"}})


def old_sqlite():
    return mock.patch.multiple(
        "imports.checks.sqlite3", sqlite_version_info=(3, 31, 1), sqlite_version="3.31.1"
    )


def test_it_accepts_the_sqlite_this_machine_has():
    with mock.patch("imports.checks.settings", SQLITE):
        assert check_sqlite_version() == []
    assert not [error for error in run_checks() if error.id == "assessments.E001"]


def test_it_refuses_an_sqlite_too_old_for_update_from():
    with mock.patch("imports.checks.settings", SQLITE), old_sqlite():
        [error] = check_sqlite_version()
    assert error.id == "assessments.E001"
    assert "3.31.1" in error.msg


def test_it_ignores_sqlite_when_the_database_is_postgresql():
    with mock.patch("imports.checks.settings", POSTGRESQL), old_sqlite():
        assert check_sqlite_version() == []

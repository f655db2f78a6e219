"""Rows some code adds to the test database, recorded once and written again in a fraction of it.

`load_demo` runs every app's services (validation, audit trail, scoring) and costs seconds; the
test classes that start from the demo data would pay that each. The first class runs it for real
and the rows it added to each table are recorded as the database returned them; every later class
inserts the same rows again, with the same primary keys, in one multi-row INSERT a table. The
database then holds what the loader would have written, history and many-to-many rows included.

The recording is only reused when the loader did nothing but add rows: if it changed or deleted a
row that was there before (rows the migrations wrote), every class runs the loader itself. It is
only written over the very rows it was recorded on: after a transactional test has flushed the
database (the role groups and content types then come back under new ids, which the recorded
rows do not name), the loader runs again and its rows are recorded anew. Test workers that share
out the tests (pytest-xdist) can hand a worker database tests after transactional ones.
Primary keys cannot collide with rows a test creates later: each write moves PostgreSQL's
sequences past the keys it inserted (as loaddata does), and SQLite moves its own.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _rows(cursor, table: str) -> tuple[list[str], list[tuple]]:
    """Read a table's rows exactly: on SQLite as SQL literals (no type conversion on the way)."""
    quote = connection.ops.quote_name
    columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    if connection.vendor == "sqlite":
        selected = ", ".join(f"quote({quote(c)})" for c in columns)
    else:
        selected = ", ".join(quote(c) for c in columns)
    cursor.execute(f"SELECT {selected} FROM {quote(table)}")  # noqa: S608
    return columns, cursor.fetchall()


class Snapshot:
    """The rows a loader adds, recorded on its first run and inserted again on the later ones."""

    def __init__(self, load: Callable[[], None]) -> None:
        self.load = load
        self.before: dict[str, tuple[list[str], frozenset[tuple]]] | None = None
        self.added: dict[str, tuple[list[str], list[tuple]]] = {}
        self.reusable = True

    def apply(self) -> None:
        """Insert the recorded rows over the rows they were recorded on; else run the loader."""
        state = {}
        with connection.cursor() as cursor:
            for table in _tables():
                columns, rows = _rows(cursor, table)
                state[table] = (columns, frozenset(rows))
        if self.reusable and state == self.before:
            _write(self.added)
            return
        self.load()
        added = {}
        reusable = True
        with connection.cursor() as cursor:
            for table in _tables():
                columns, rows = _rows(cursor, table)
                old_columns, old = state.get(table, (columns, frozenset()))
                if old_columns != columns or not old <= set(rows):
                    reusable = False  # the loader changed what was there: run it each time
                new = [row for row in rows if row not in old]
                if new:
                    added[table] = (columns, new)
        self.before, self.added, self.reusable = state, added, reusable


class Image:
    """Every row of every table once a loader has run, written back whole in later tests.

    For the transactional tests (browser journeys, backups), which start from a flushed database:
    a flush leaves only what the post_migrate handlers write (content types, permissions, role
    groups), with new ids each time, so the rows a loader adds cannot be inserted alone (they
    name the first test's groups). The image holds every table: applying it empties each table
    and inserts its rows, in one transaction (the foreign keys are checked at its commit). It is
    applied only to a database holding as many rows in each table as the first one held before
    its load (what a flush leaves); otherwise, a test having written rows first, the loader runs.
    """

    def __init__(self, load: Callable[[], None]) -> None:
        self.load = load
        self.before: dict[str, int] | None = None
        self.rows: dict[str, tuple[list[str], list[tuple]]] = {}

    def apply(self) -> None:
        """Run the loader the first time (or on an unexpected database); else write the image."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction

        filled = _row_counts()
        if self.before is not None and filled == self.before:
            with transaction.atomic():
                _write(self.rows, empty_first=True)
            ContentType.objects.clear_cache()  # it holds the ids the flush gave them
            return
        self.load()
        if self.before is None:
            self.before = filled
            with connection.cursor() as cursor:
                self.rows = {table: _rows(cursor, table) for table in _tables()}


def _row_counts() -> dict[str, int]:
    """Return the number of rows of each table that has any."""
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            (count,) = cursor.fetchone()
            if count:
                counts[table] = count
    return counts


def _write(rows: dict[str, tuple[list[str], list[tuple]]], empty_first: bool = False) -> None:
    """Insert the recorded rows of each table (emptying the table first if asked).

    PostgreSQL's sequences are then moved past the keys written, as loaddata does: a flush
    that reset them (the backup tests wipe the database) would else hand them out again.
    """
    from django.apps import apps
    from django.core.management.color import no_style

    quote = connection.ops.quote_name
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        if empty_first:
            for table in _tables():
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
        for table, (columns, table_rows) in rows.items():
            insert = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
            if connection.vendor == "sqlite":
                # The rows are SQL literals already (quote()): no parameters to bind.
                for start in range(0, len(table_rows), 500):
                    chunk = table_rows[start : start + 500]
                    values = ", ".join("(" + ", ".join(row) + ")" for row in chunk)
                    cursor.execute(insert + values)
            else:
                marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
                for start in range(0, len(table_rows), 500):
                    chunk = table_rows[start : start + 500]
                    cursor.execute(
                        insert + ", ".join([marks] * len(chunk)),
                        [value for row in chunk for value in row],
                    )
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)

"""Rows some code adds to the test database, recorded once and written again in a fraction of it.

`load_demo` runs every app's services (validation, audit trail, scoring) and costs seconds; the
test classes that start from the demo data would pay that each. The first class runs it for real
and the rows it added to each table are recorded as the database returned them; every later class
inserts the same rows again, with the same primary keys, in one multi-row INSERT a table. The
database then holds what the loader would have written, history and many-to-many rows included.

The recording is only reused when the loader did nothing but add rows: if it changed or deleted a
row that was there before (rows the migrations wrote), every class runs the loader itself.
Primary keys cannot collide with rows a test creates later: PostgreSQL's sequences do not go back
when the first class's transaction is rolled back, and SQLite moves its sequence past the largest
key inserted.
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
        self.added: dict[str, tuple[list[str], list[tuple]]] | None = None
        self.reusable = True

    def apply(self) -> None:
        """Run the loader the first time (or whenever it is not reusable); else insert its rows."""
        if self.added is not None and self.reusable:
            _write(self.added)
            return
        with connection.cursor() as cursor:
            before = {table: _rows(cursor, table) for table in _tables()}
        self.load()
        added = {}
        with connection.cursor() as cursor:
            for table in _tables():
                columns, rows = _rows(cursor, table)
                old_columns, old_rows = before.get(table, (columns, []))
                old = set(old_rows)
                if old_columns != columns or not old <= set(rows):
                    self.reusable = False  # the loader changed what was there: run it each time
                new = [row for row in rows if row not in old]
                if new:
                    added[table] = (columns, new)
        self.added = added


class Image:
    """Every row of every table once a loader has run, written back whole in later tests.

    For the transactional tests (browser journeys, backups), which start from a flushed database:
    a flush leaves only what the post_migrate handlers write (content types, permissions, role
    groups), with new ids each time, so the rows a loader adds cannot be inserted alone (they
    name the first test's groups). The image holds every table: applying it empties each table
    and inserts its rows, in one transaction (the foreign keys are checked at its commit). It is
    applied only to a database whose non-empty tables are those the first one had before its
    load; otherwise the loader runs.
    """

    def __init__(self, load: Callable[[], None]) -> None:
        self.load = load
        self.before: set[str] | None = None
        self.rows: dict[str, tuple[list[str], list[tuple]]] = {}

    def apply(self) -> None:
        """Run the loader the first time (or on an unexpected database); else write the image."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction

        filled = _filled_tables()
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


def _filled_tables() -> set[str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        filled = set()
        for table in _tables():
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                filled.add(table)
    return filled


def _write(rows: dict[str, tuple[list[str], list[tuple]]], empty_first: bool = False) -> None:
    """Insert the recorded rows of each table (emptying the table first if asked)."""
    quote = connection.ops.quote_name
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

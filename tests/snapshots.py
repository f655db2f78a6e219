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
            self._insert()
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

    def _insert(self) -> None:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, (columns, rows) in self.added.items():
                insert = (
                    f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
                )
                if connection.vendor == "sqlite":
                    # The rows are SQL literals already (quote()): no parameters to bind.
                    for start in range(0, len(rows), 500):
                        chunk = rows[start : start + 500]
                        values = ", ".join("(" + ", ".join(row) + ")" for row in chunk)
                        cursor.execute(insert + values)
                else:
                    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
                    for start in range(0, len(rows), 500):
                        chunk = rows[start : start + 500]
                        cursor.execute(
                            insert + ", ".join([marks] * len(chunk)),
                            [value for row in chunk for value in row],
                        )

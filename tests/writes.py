"""Which tables a piece of code wrote: the cheap first half of "nothing changed".

Suites that check a database fingerprint after thousands of requests first ask this log whether
any of the fingerprinted tables was written at all: a request that sent them no INSERT, UPDATE
or DELETE (a login's `last_login` aside) cannot have changed their rows, so the fingerprint is
only taken when something was written. Every statement goes through Django's cursor (the ORM and the
imports' plain SQL alike), so a connection's execute wrapper sees them all.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
READ = re.compile(
    r"^\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|PRAGMA|SET|SHOW)\b", re.IGNORECASE
)
LAST_LOGIN = re.compile(r'^\s*UPDATE\s+"accounts_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE', re.I)


class WriteLog:
    """An execute wrapper that notes each table written through the connection."""

    def __init__(self) -> None:
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        self.note(sql)
        return execute(sql, params, many, context)

    def note(self, sql: str) -> None:
        if READ.match(sql) or LAST_LOGIN.match(sql):
            return
        match = WRITE.match(sql)
        # A statement of another shape (WITH … INSERT, DDL) counts as a write to an unknown table.
        self.tables.add(match[1] if match else "?")

    def wrote_any(self, tables: set[str]) -> bool:
        """Tell whether one of these tables (or a table the log could not name) was written."""
        return bool(self.tables & tables) or "?" in self.tables

    def clear(self) -> None:
        self.tables.clear()


@contextmanager
def recording_writes() -> Iterator[WriteLog]:
    """Record the tables written through the default connection while the block runs."""
    log = WriteLog()
    with connection.execute_wrapper(log):
        yield log

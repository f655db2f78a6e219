"""What blocks an agency's work, from every app, for the admins' inbox on the home page.

The measures inbox lists its own (rounds closing with reports missing) and adds what the other
apps register here: an app calls `register(source)` in its AppConfig.ready(), with a function
(user, today) -> list[Blocked] in the reader's language (imports.blocked: uploads waiting for
their confirmation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Blocked:
    """Something waiting for an admin: what, why, where to act, and how many it holds up."""

    label: str
    detail: str
    url: str
    count: int


Source = Callable[..., list[Blocked]]
_sources: list[Source] = []


def register(source: Source) -> None:
    """Add a source of blocked work (once, however often an app is readied)."""
    if source not in _sources:
        _sources.append(source)


def blocked_elsewhere(user, today: dt.date) -> list[Blocked]:
    """Return what every registered source says blocks the user's agency."""
    return [row for source in _sources for row in source(user, today)]

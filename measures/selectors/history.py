"""A progress report's history as its readers see it: who changed what, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from accounts.models import User
from measures.models import Evidence, ProgressReport

# Bookkeeping fields every save changes; the page shows what people changed.
HIDDEN_FIELDS = ["version", "updated_at", "submitted_at", "reviewed_at"]
# Saving a report writes its fields, then its ticked steps: records this close are one change.
SAME_SAVE = dt.timedelta(seconds=2)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    date: dt.datetime
    user: User | None
    changes: list[FieldChange] = field(default_factory=list)
    created: bool = False
    evidence: str = ""  # the name of the evidence added or removed
    added: bool = False


def _value(model_field, value, users: dict[int, User], orders: dict[int, int]) -> str:
    if value in (None, ""):
        return ""
    if model_field.many_to_many:
        return ", ".join(str(orders.get(row["step"], "?")) for row in value) if orders else ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return str(users.get(value, value))
    return str(value)


def _changes(record, previous, users: dict[int, User], orders: dict[int, int]):
    delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
    for change in delta.changes:
        model_field = ProgressReport._meta.get_field(change.field)
        yield FieldChange(
            str(model_field.verbose_name),
            _value(model_field, change.old, users, orders),
            _value(model_field, change.new, users, orders),
        )


def report_history(report: ProgressReport | None) -> list[HistoryEntry]:
    """Return each saved version of the report, newest first: who, when, which fields changed.

    Queries: the report's records (+user), each record's ticked steps, the users they name,
    the activity's steps, the evidence records (+user).
    """
    if report is None:
        return []
    records = list(report.history.select_related("history_user").order_by("history_id"))
    user_ids = {r.submitted_by_id for r in records} | {r.reviewed_by_id for r in records}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids - {None})}
    orders = dict(report.activity.steps.values_list("pk", "order"))
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changes = list(_changes(record, previous, users, orders)) if previous else []
        last = entries[-1] if entries else None
        if (
            last
            and last.user == record.history_user
            and record.history_date - last.date < SAME_SAVE
        ):
            last.changes += changes
        else:
            entries.append(
                HistoryEntry(record.history_date, record.history_user, changes, previous is None)
            )
        previous = record
    for record in Evidence.history.filter(report_id=report.pk).select_related("history_user"):
        if record.history_type in ("+", "-"):
            entries.append(
                HistoryEntry(
                    record.history_date,
                    record.history_user,
                    evidence=record.original_name or record.url,
                    added=record.history_type == "+",
                )
            )
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries

"""Write an import's plan: its batch, new agencies and assessments, scores and audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Agency, User
from assessments.models import Assessment, ItemAnswer
from assessments.standings import results_forget_batch
from imports.lookups import CHUNK, PROVENANCE, SCORE_MODELS, Resolved, chunks
from imports.models import ImportBatch
from imports.planner import Plan
from imports.report import ImportReport
from ita_portal.generations import bump_batch

# --- Committing -----------------------------------------------------------------------------------


def batch_reason(batch: ImportBatch) -> str:
    return f"import #{batch.pk}"


Written = Callable[[int, int], None]


def write_plan(
    plan: Plan,
    lookups: Resolved,
    report: ImportReport,
    user: User | None,
    codes: set[str],
    on_progress: Written | None = None,
) -> ImportBatch:
    """Store a checked plan as one batch: agencies, assessments, results, scores, history.

    on_progress(done, total) hears how many of the plan's assessment and score rows are written,
    after each statement's worth.
    """
    total = (
        len(plan.new_assessments)
        + sum(1 for entry in plan.result_updates if isinstance(entry[0], int))
        + sum(len(plan.creates.get(m, [])) + len(plan.updates.get(m, [])) for m in SCORE_MODELS)
    )
    done = 0

    def wrote(rows: int) -> None:
        nonlocal done
        done += rows
        if on_progress is not None:
            on_progress(done, total)

    now = timezone.now()
    years = lookups.years
    # A batch of one agency that was in the portal before belongs to it; any other is portal-wide.
    (code,) = codes if len(codes) == 1 else (None,)
    batch = ImportBatch(
        agency_id=lookups.agencies.get(code),
        file_name=report.file_name[:255],
        sha256=report.sha256,
        uploaded_by=user,
        fiscal_year=years[0] if len(years) == 1 else None,
        row_count=report.row_count,
        summary={},
    )
    batch.full_clean()
    batch.save()
    reason = batch_reason(batch)
    history = {"default_user": user, "default_change_reason": reason, "default_date": now}

    agencies = dict(lookups.agencies)
    created_agencies = []
    if plan.new_agencies:
        objs = [Agency(code=code, **fields) for code, (fields, _t, _n) in plan.new_agencies.items()]
        for obj in objs:
            obj.full_clean(validate_unique=False)
        for agency in Agency.objects.bulk_create(objs, batch_size=CHUNK):
            agencies[agency.code] = agency.pk
            created_agencies.append(agency.pk)

    assessment_ids: dict[tuple[str, int], int] = {}
    # Official results of a new assessment are written with it: one insert, one history record.
    new_results = {key: rest for key, *rest in plan.result_updates if isinstance(key, tuple)}
    if plan.new_assessments:
        objs = []
        for (code, year), (title, row) in plan.new_assessments.items():
            changed, title, row = new_results.get((code, year), ({}, title, row))
            objs.append(
                Assessment(
                    agency_id=agencies[code],
                    fiscal_year=year,
                    version_id=lookups.version_ids[year],
                    batch=batch,
                    source_sheet=title[:100],
                    source_row=row,
                    **changed,
                )
            )
        for chunk in chunks(objs, CHUNK):
            bulk_create_with_history(chunk, Assessment, batch_size=CHUNK, **history)
            wrote(len(chunk))
        for key, obj in zip(plan.new_assessments, objs, strict=True):
            assessment_ids[key] = obj.pk

    def resolve(key: int | tuple[str, int]) -> int:
        return key if isinstance(key, int) else assessment_ids[key]

    updates = [entry for entry in plan.result_updates if isinstance(entry[0], int)]
    if updates:
        objs = Assessment.objects.in_bulk([key for key, *_rest in updates])
        fields: set[str] = set()
        for key, changed, title, row in updates:
            obj = objs[key]
            for name, value in changed.items():
                setattr(obj, name, value)
            fields.update(changed)
            obj.batch, obj.source_sheet, obj.source_row = batch, title[:100], row
            obj.updated_at = now
        bulk_update_with_history(
            list(objs.values()),
            Assessment,
            sorted(fields) + PROVENANCE + ["updated_at"],
            batch_size=CHUNK,
            **history,
        )
        wrote(len(updates))

    for model, (target, fields) in SCORE_MODELS.items():
        title = plan.titles.get(model, "")[:100]
        creates = plan.creates.get(model, [])
        if creates:
            insert_rows(
                model,
                ["assessment", target, *fields, *PROVENANCE],
                (
                    (resolve(akey), target_id, *_defaults(model, values), batch.pk, title, row)
                    for akey, target_id, row, *values in creates
                ),
                on_rows=wrote,
            )
            # Nothing but this batch's inserts points at it yet: their audit trail in one query.
            _record_history(model, "+", history, batch_id=batch.pk)
        for chunk in chunks(plan.updates.get(model, []), 900):
            _update_rows(
                model,
                [*fields, *PROVENANCE],
                [(pk, *values, batch.pk, title, row) for pk, row, *values in chunk],
            )
            _record_history(model, "~", history, ids=[entry[0] for entry in chunk])
            wrote(len(chunk))

    batch.summary = {
        "counts": {sheet: dict(counts) for sheet, counts in report.sheet_counts.items()},
        "created_agencies": created_agencies,
        "years": years,
    }
    batch.save(update_fields=["summary"])
    results_forget_batch(batch.pk)  # the rows went in without signals
    bump_batch(batch.pk)
    return batch


def _defaults(model: type[models.Model], values: list) -> list:
    # A new OIT answer whose evidence or note column is absent stores them empty.
    if model is ItemAnswer:
        present, url, note = values
        return [present, url or "", note or ""]
    return values


# A national file writes some 400,000 scores. Building a model instance for each row, and another
# for its audit-trail record, is what made bulk_create_with_history the slowest part of an import;
# these write the same rows from plain tuples. The rows hold values the drivers take as they are
# (int, str, bool, Decimal), checked by the planner as the model's constraints would be.


def insert_rows(
    model: type[models.Model],
    names: list[str],
    rows: Iterable[tuple],
    on_rows: Callable[[int], None] | None = None,
) -> None:
    """Insert plain rows into a model's table, as many per statement as the database allows.

    on_rows(n) hears each statement's number of rows once it is executed.
    """
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) "
    )
    size = min(CHUNK, connection.ops.bulk_batch_size(fields, [()] * CHUNK))
    placeholders = ["%s"] * len(fields)
    statements: dict[int, str] = {}
    with connection.cursor() as cursor:
        rows = iter(rows)
        while chunk := list(islice(rows, size)):
            sql = statements.get(len(chunk))
            if sql is None:
                sql = statements[len(chunk)] = head + connection.ops.bulk_insert_sql(
                    fields, [placeholders] * len(chunk)
                )
            cursor.execute(sql, [value for row in chunk for value in row])
            if on_rows is not None:
                on_rows(len(chunk))


def _update_rows(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """Set the named fields of stored rows: each row is its pk followed by its new values."""
    fields = [model._meta.pk, *(model._meta.get_field(name) for name in names)]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    # A VALUES list names its columns column1, column2, … on SQLite (3.33+) and PostgreSQL alike.
    columns = ", ".join(
        f"{quote(field.column)} = v.column{number}" for number, field in enumerate(fields[1:], 2)
    )
    row = f"({', '.join(['%s'] * len(fields))})"
    size = min(CHUNK, connection.ops.bulk_batch_size(fields, [()] * CHUNK))
    with connection.cursor() as cursor:
        for chunk in chunks(rows, size):
            # One statement a chunk: on a database server, a statement a row is a round trip a row.
            sql = (
                f"UPDATE {table} SET {columns} "  # noqa: S608 (identifiers from the model's metadata)
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v WHERE {table}.{pk} = v.column1"
            )
            cursor.execute(sql, [value for entry in chunk for value in entry])


def _record_history(
    model: type[models.Model],
    kind: str,
    history: dict[str, Any],
    *,
    batch_id: int | None = None,
    ids: list[int] | None = None,
) -> None:
    """Copy the rows of a batch, or of a few pks, into the model's audit trail, in the database."""
    historical = model.history.model
    quote = connection.ops.quote_name
    tracked = ", ".join(quote(field.column) for field in historical.tracked_fields)
    marks = ", ".join(
        quote(historical._meta.get_field(name).column)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    )
    if ids is None:
        where, params = f"{quote(model._meta.get_field('batch').column)} = %s", [batch_id]
    else:
        where, params = f"{quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))})", ids
    user = history["default_user"]
    # Identifiers come from the models' metadata, values go as parameters.
    sql = (
        f"INSERT INTO {quote(historical._meta.db_table)} ({tracked}, {marks}) "  # noqa: S608
        f"SELECT {tracked}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} WHERE {where}"
    )
    date = connection.ops.adapt_datetimefield_value(history["default_date"])
    reason = history["default_change_reason"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [date, reason, kind, user.pk if user else None, *params])

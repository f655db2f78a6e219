"""A checked plan kept beside its upload, so that confirming writes what the preview showed.

The plan is stored as gzipped JSON (values, never code: nothing is unpickled), with the data
stamp of the moment it was checked: the newest audit-trail record of everything an import reads
or writes, and the agencies. A confirmation writes the stored plan only when the stamp is
unchanged; if anything changed meanwhile, the file is checked again against today's data.
"""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import Count, Max

from accounts.models import Agency
from imports.lookups import Resolved
from imports.planner import Checked, Plan

# Every model whose rows a plan was checked against (each has an audit trail).
STAMPED = (
    "assessments.InstrumentVersion",
    "assessments.Indicator",
    "assessments.SubIndicator",
    "assessments.Instrument",
    "assessments.Question",
    "assessments.GradeBand",
    "assessments.Assessment",
    "assessments.IndicatorScore",
    "assessments.SubIndicatorScore",
    "assessments.InstrumentScore",
    "assessments.QuestionScore",
    "assessments.ItemAnswer",
)


def data_stamp() -> str:
    """Return a stamp that changes whenever anything a plan depends on changes."""
    parts = [
        str(apps.get_model(label).history.aggregate(newest=Max("history_id"))["newest"] or 0)
        for label in STAMPED
    ]
    agencies = Agency.objects.aggregate(count=Count("pk"), newest=Max("pk"))
    parts += [str(agencies["count"]), str(agencies["newest"] or 0)]
    return ":".join(parts)


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    raise TypeError(type(value))


def _decode(value: dict) -> Any:
    return Decimal(value["$d"]) if "$d" in value else value


def _key(value: Any) -> Any:
    # An assessment is a stored one's pk or a new one's (agency code, year).
    return tuple(value) if isinstance(value, list) else value


def plan_save(path: Path, checked: Checked) -> None:
    """Write a checked plan to path (gzipped JSON)."""
    plan = checked.plan
    data = {
        "new_agencies": plan.new_agencies,
        "new_assessments": [[*key, *where] for key, where in plan.new_assessments.items()],
        "result_updates": plan.result_updates,
        "creates": {model._meta.label: rows for model, rows in plan.creates.items()},
        "updates": {model._meta.label: rows for model, rows in plan.updates.items()},
        "titles": {model._meta.label: title for model, title in plan.titles.items()},
        "years": checked.resolved.years,
        "agencies": checked.resolved.agencies,
        "version_ids": checked.resolved.version_ids,
        "codes": sorted(checked.codes),
    }
    temporary = path.with_suffix(".part")
    with gzip.open(temporary, "wt", encoding="utf-8", compresslevel=1) as target:
        json.dump(data, target, default=_encode, separators=(",", ":"))
    temporary.replace(path)


def plan_load(path: Path) -> Checked:
    """Read a plan written by plan_save."""
    with gzip.open(path, "rt", encoding="utf-8") as source:
        data = json.load(source, object_hook=_decode)
    plan = Plan()
    plan.new_agencies = {code: tuple(entry) for code, entry in data["new_agencies"].items()}
    plan.new_assessments = {
        (code, year): (title, row) for code, year, title, row in data["new_assessments"]
    }
    plan.result_updates = [(_key(key), *rest) for key, *rest in data["result_updates"]]
    for label, rows in data["creates"].items():
        plan.creates[apps.get_model(label)] = [(_key(key), *rest) for key, *rest in rows]
    for label, rows in data["updates"].items():
        plan.updates[apps.get_model(label)] = [tuple(row) for row in rows]
    plan.titles = {apps.get_model(label): title for label, title in data["titles"].items()}
    resolved = Resolved(
        data["years"],
        data["agencies"],
        {int(year): pk for year, pk in data["version_ids"].items()},
    )
    return Checked(plan, resolved, set(data["codes"]))

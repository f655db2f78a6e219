"""Reads of the OIT self-check: a round's items, its dashboard, the predicted score, suggestions."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from assessments.models import InstrumentVersion
from assessments.scoring import VersionSpec
from assessments.versions import version_spec
from measures.models import Plan
from oit import scoring
from oit.models import OitFile, OitItem, OitLink, OitRound

PORTAL_PAGES = Path(__file__).resolve().parent / "data" / "portal_pages.json"


def allowed_values(version: InstrumentVersion) -> tuple[Decimal, ...]:
    """Return the scores a reviewer may give an item: the version's, or 1/0 (present/absent)."""
    if version.oit_scoring == InstrumentVersion.OitScoring.REVIEWER_SCORE:
        return tuple(sorted(version.allowed_scores))
    return (Decimal("0"), Decimal("1"))


def oit_spec(version: InstrumentVersion) -> tuple[VersionSpec, str] | None:
    """Return the version's spec and the code of its instrument of OIT items (five queries)."""
    spec = version_spec(version)
    for instrument in spec.instruments:
        if any(sub.items for ind in instrument.indicators for sub in ind.sub_indicators):
            return spec, instrument.code
    return None


def round_items(round_: OitRound) -> QuerySet[OitItem]:
    """Return the round's items with what a list shows of them (four queries when read)."""
    return (
        round_.items.select_related(
            "question__sub_indicator__indicator", "unit", "reviewed_by", "submitted_by"
        )
        .prefetch_related(
            "owners",
            Prefetch("links", queryset=OitLink.objects.order_by("pk")),
            Prefetch("files", queryset=OitFile.objects.order_by("pk")),
        )
        .order_by("question__order", "question_id")
    )


def item_values(items: list[OitItem]) -> dict[str, Decimal]:
    """Return what each item counts for the prediction: its score once accepted, else 0."""
    return {
        item.question.code: item.score
        for item in items
        if item.state == OitItem.State.ACCEPTED and item.score is not None
    }


@dataclass
class Row:
    key: str
    name: str
    total: int = 0
    accepted: int = 0
    by_status: Counter = field(default_factory=Counter)
    score: Decimal | None = None


@dataclass
class Dashboard:
    round: OitRound
    items: list[OitItem]
    by_status: list[tuple[str, str, int]]
    by_state: list[tuple[str, str, int]]
    by_sub_indicator: list[Row]
    by_unit: list[Row]
    overdue: list[OitItem]
    problem_links: list[OitLink]
    prediction: scoring.Prediction | None
    costs: list[tuple[OitItem, scoring.ItemShare]]


def dashboard(round_: OitRound, today: dt.date) -> Dashboard:
    """Count a round's items by status, sub-indicator and unit; predict the OIT score."""
    items = list(round_items(round_))
    found = oit_spec(round_.version)
    prediction = scoring.predict(*found, item_values(items)) if found else None
    statuses = Counter(item.status for item in items)
    states = Counter(item.state for item in items)
    subs: dict[str, Row] = {}
    units: dict[str, Row] = {}
    for item in items:
        sub = item.question.sub_indicator
        row = subs.setdefault(sub.key, Row(sub.key, sub.name_th))
        unit_key = item.unit.code if item.unit else ""
        unit_row = units.setdefault(unit_key, Row(unit_key, str(item.unit) if item.unit else ""))
        for target in (row, unit_row):
            target.total += 1
            target.by_status[item.status] += 1
            target.accepted += item.state == OitItem.State.ACCEPTED
    if prediction:
        for key, value in prediction.sub_indicators.items():
            if key in subs:
                subs[key].score = value
    by_code = {item.question.code: item for item in items}
    costs = [(by_code[s.code], s) for s in prediction.missing] if prediction else []
    return Dashboard(
        round=round_,
        items=items,
        by_status=[
            (value, label, statuses.get(value, 0)) for value, label in OitItem.Status.choices
        ]
        + [("", "", statuses.get("", 0))],
        by_state=[(value, label, states.get(value, 0)) for value, label in OitItem.State.choices],
        by_sub_indicator=list(subs.values()),
        by_unit=sorted(units.values(), key=lambda r: (r.key == "", r.key)),
        overdue=[item for item in items if item.is_overdue(today)],
        problem_links=[link for item in items for link in item.links.all() if link.is_problem],
        prediction=prediction,
        costs=costs,
    )


@lru_cache(maxsize=1)
def _portal_pages() -> dict[tuple[int, str], dict]:
    data = json.loads(PORTAL_PAGES.read_text(encoding="utf-8"))
    return {(row["fiscal_year"], row["code"]): row for row in data["items"]}


def suggested_urls(round_: OitRound, codes: list[str]) -> dict[str, str]:
    """Return the portal page suggested as evidence of each item that asks for the measures plan.

    The public page of the agency's published plan of the round's year; none when the plan is
    not published (its page answers 404 to NACC's consultants).
    """
    wanted = [code for code in codes if (round_.fiscal_year, code) in _portal_pages()]
    if not wanted:
        return {}
    published = Plan.objects.filter(
        agency_id=round_.agency_id, fiscal_year=round_.fiscal_year, is_published=True
    ).exists()
    if not published:
        return {}
    url = settings.PORTAL_URL + reverse(
        "public:plan", kwargs={"agency": round_.agency.code, "year": round_.fiscal_year}
    )
    return dict.fromkeys(wanted, url)

"""Reads of the instrument versions: each version's rows in display order, and its scoring spec.

Five queries load any number of versions (one per table), so pages and reports that compute
several assessments pay the same as one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F

from accounts.models import User
from accounts.roles import Role
from assessments import scoring
from assessments.models import (
    GradeBand,
    Indicator,
    Instrument,
    InstrumentVersion,
    Question,
    SubIndicator,
)


@dataclass(frozen=True)
class VersionData:
    """A version's rows, in display order, and the scoring spec built from them."""

    version: InstrumentVersion
    instruments: tuple[Instrument, ...]
    indicators: tuple[Indicator, ...]
    sub_indicators: tuple[SubIndicator, ...]
    questions: tuple[Question, ...]
    grade_bands: tuple[GradeBand, ...]
    spec: scoring.VersionSpec


def _build_spec(
    version: InstrumentVersion,
    instruments: list[Instrument],
    indicators: list[Indicator],
    subs: list[SubIndicator],
    questions: list[Question],
    bands: list[GradeBand],
) -> scoring.VersionSpec:
    question_codes: dict[int, list[str]] = defaultdict(list)
    item_codes: dict[int, list[str]] = defaultdict(list)
    for question in questions:
        if question.sub_indicator_id is None:
            question_codes[question.indicator_id].append(question.code)
        else:
            item_codes[question.sub_indicator_id].append(question.code)
    sub_specs: dict[int, list[scoring.SubIndicatorSpec]] = defaultdict(list)
    for sub in subs:
        sub_specs[sub.indicator_id].append(
            scoring.SubIndicatorSpec(key=sub.key, items=tuple(item_codes[sub.pk]))
        )
    indicator_specs: dict[int, list[scoring.IndicatorSpec]] = defaultdict(list)
    for indicator in indicators:
        indicator_specs[indicator.instrument_id].append(
            scoring.IndicatorSpec(
                number=indicator.number,
                questions=tuple(question_codes[indicator.pk]),
                sub_indicators=tuple(sub_specs[indicator.pk]),
            )
        )
    return scoring.VersionSpec(
        instruments=tuple(
            scoring.InstrumentSpec(
                code=instrument.code,
                weight=instrument.weight,
                indicators=tuple(indicator_specs[instrument.pk]),
            )
            for instrument in instruments
        ),
        grade_bands=tuple(scoring.GradeBand(grade=b.grade, lower=b.lower) for b in bands),
        pass_mark=version.pass_mark,
    )


def _group(rows: Iterable, key: str) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def version_data_many(versions: Iterable[InstrumentVersion]) -> dict[int, VersionData]:
    """Load the rows of several versions in five queries, keyed by version id."""
    by_id = {version.pk: version for version in versions}
    ids = list(by_id)
    instruments = _group(
        Instrument.objects.filter(version_id__in=ids).order_by("order", "code"), "version_id"
    )
    indicators = _group(
        Indicator.objects.filter(version_id__in=ids).order_by("order", "number"), "version_id"
    )
    subs = _group(
        SubIndicator.objects.filter(indicator__version_id__in=ids)
        .annotate(version_id=F("indicator__version_id"))
        .order_by("indicator__order", "indicator__number", "order", "key"),
        "version_id",
    )
    questions = _group(
        Question.objects.filter(version_id__in=ids).order_by("order", "id"), "version_id"
    )
    bands = _group(GradeBand.objects.filter(version_id__in=ids).order_by("-lower"), "version_id")
    data = {}
    for pk, version in by_id.items():
        rows = (instruments[pk], indicators[pk], subs[pk], questions[pk], bands[pk])
        data[pk] = VersionData(version, *(tuple(r) for r in rows), spec=_build_spec(version, *rows))
    return data


def version_data(version: InstrumentVersion) -> VersionData:
    """Load one version's rows (five queries)."""
    return version_data_many([version])[version.pk]


def version_spec(version: InstrumentVersion) -> scoring.VersionSpec:
    """Build the scoring spec of a version from its rows (five queries)."""
    return version_data(version).spec


def data_stewards() -> list:
    """List the active users who keep the instrument versions: stewards, else superusers."""
    users = User.objects.filter(is_active=True).order_by("first_name", "username")
    stewards = list(users.filter(groups__name=Role.STEWARD.value).distinct())
    return stewards or list(users.filter(is_superuser=True))

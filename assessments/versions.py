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
from assessments import answers, scoring
from assessments.models import (
    AnswerOption,
    AnswerScale,
    GradeBand,
    Indicator,
    Instrument,
    InstrumentVersion,
    OptionLabel,
    Question,
    SubIndicator,
    SubItem,
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
        grade_bands=tuple(level_spec(band) for band in bands),
        pass_mark=version.pass_mark,
        aggregation=version.aggregation,
        oit_scoring=version.oit_scoring,
        oit_allowed_scores=version.allowed_scores,
        oit_rollup=version.oit_rollup,
    )


def level_spec(band: GradeBand) -> scoring.GradeBand:
    """Return a result level row as the scoring engine reads it."""
    return scoring.GradeBand(
        grade=band.grade,
        lower=band.lower,
        upper=band.upper,
        minimums=band.minimum_scores(),
        order=band.order,
        label=band.label_th,
    )


def sample_rule(instrument: Instrument) -> scoring.SampleRule:
    """Return an instrument's sample rule as the scoring engine reads it."""
    return scoring.SampleRule(
        percent=instrument.sample_percent,
        minimum=instrument.sample_minimum,
        everyone_below=instrument.sample_everyone_below,
        cap_over=instrument.sample_cap_over,
        cap_minimum=instrument.sample_cap_minimum,
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
    bands = _group(
        GradeBand.objects.filter(version_id__in=ids).order_by("order", "-lower"), "version_id"
    )
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


@dataclass(frozen=True)
class QuestionForm:
    """A question as a survey shows it: its scale's options (with its own labels) and sub-items."""

    question: Question
    # (option, label_th, label_en): the question's own wording where it has one.
    options: tuple[tuple[AnswerOption, str, str], ...]
    sub_items: tuple[SubItem, ...]
    scale: answers.QuestionScale


def _scale_spec(scale: AnswerScale | None, options: dict[int, list[AnswerOption]]):
    if scale is None:
        return None
    return answers.ScaleSpec(
        code=scale.code,
        options=tuple(answers.OptionSpec(o.order, o.points) for o in options[scale.pk]),
    )


def version_questions(version: InstrumentVersion) -> list[QuestionForm]:
    """List a version's IIT/EIT questions with scales, options and sub-items (five queries)."""
    questions = list(
        version.questions.filter(kind=Question.Kind.QUESTION)
        .select_related("scale", "indicator")
        .order_by("order", "id")
    )
    scales = {scale.pk: scale for scale in version.answer_scales.all()}
    options = _group(
        AnswerOption.objects.filter(scale__version=version).order_by("order"), "scale_id"
    )
    sub_items = _group(
        SubItem.objects.filter(question__version=version).order_by("order", "code"), "question_id"
    )
    labels = {
        (label.question_id, label.option_id): label
        for label in OptionLabel.objects.filter(question__version=version)
    }
    forms = []
    for question in questions:
        shown = []
        for option in options[question.scale_id] if question.scale_id else []:
            own = labels.get((question.pk, option.pk))
            shown.append(
                (
                    option,
                    own.label_th if own else option.label_th,
                    own.label_en if own else option.label_en,
                )
            )
        items = tuple(sub_items[question.pk])
        forms.append(
            QuestionForm(
                question=question,
                options=tuple(shown),
                sub_items=items,
                scale=answers.QuestionScale(
                    code=question.code,
                    scale=_scale_spec(question.scale, options),
                    reversed=question.reversed,
                    sub_items=tuple(
                        answers.SubItemSpec(
                            code=item.code,
                            scale=_scale_spec(scales.get(item.scale_id) or question.scale, options),
                            reversed=item.reversed,
                        )
                        for item in items
                    ),
                ),
            )
        )
    return forms

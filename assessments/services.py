"""Writes on the instrument versions and assessments; views, imports and the demo share them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from assessments.models import (
    Assessment,
    IndicatorScore,
    InstrumentScore,
    InstrumentVersion,
    ItemAnswer,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
)
from assessments.version_services import (  # noqa: F401  (importable from here, as before)
    instrument_version_copy,
    instrument_version_dump,
    instrument_version_load,
    upsert,
)

# --- Assessments ----------------------------------------------------------------------------------


@transaction.atomic
def assessment_upsert(
    *,
    agency: Agency,
    fiscal_year: int,
    values: dict[str, Any],
    kind: str = Assessment.Kind.OFFICIAL,
    framework: str = InstrumentVersion.Framework.NACC_ITA,
) -> Assessment:
    """Create or update an agency's assessment of a year, against that year's instrument version.

    One official result and one self-assessment per agency and year; each kind is its own row.
    """
    version = InstrumentVersion.objects.filter(framework=framework, fiscal_year=fiscal_year).first()
    if version is None:
        raise ValidationError(
            {
                "fiscal_year": ValidationError(
                    _("There is no instrument version for this fiscal year."), code="no_version"
                )
            }
        )
    return upsert(
        Assessment,
        {"agency": agency, "fiscal_year": fiscal_year, "kind": kind},
        {"version": version, **values},
    )


def _set_scores(model, assessment: Assessment, field: str, objects: dict, scores: dict) -> None:
    for key, score in scores.items():
        obj = objects[key]
        if score is None:
            model.objects.filter(assessment=assessment, **{field: obj}).delete()
        else:
            upsert(model, {"assessment": assessment, field: obj}, {"score": Decimal(str(score))})


@transaction.atomic
def assessment_scores_set(
    *,
    assessment: Assessment,
    questions: dict[str, Decimal | None] | None = None,
    sub_indicators: dict[str, Decimal | None] | None = None,
    indicators: dict[int, Decimal | None] | None = None,
    instruments: dict[str, Decimal | None] | None = None,
) -> None:
    """Store the given scores of an assessment by code; None forgets one (it becomes unknown)."""
    version = assessment.version
    if questions:
        known = {q.code: q for q in version.questions.filter(kind=Question.Kind.QUESTION)}
        _require_known(questions, known, "questions")
        _set_scores(QuestionScore, assessment, "question", known, questions)
    if sub_indicators:
        known = {s.key: s for s in SubIndicator.objects.filter(indicator__version=version)}
        _require_known(sub_indicators, known, "sub_indicators")
        _set_scores(SubIndicatorScore, assessment, "sub_indicator", known, sub_indicators)
    if indicators:
        known = {i.number: i for i in version.indicators.all()}
        _require_known(indicators, known, "indicators")
        _set_scores(IndicatorScore, assessment, "indicator", known, indicators)
    if instruments:
        known = {i.code: i for i in version.instruments.all()}
        _require_known(instruments, known, "instruments")
        _set_scores(InstrumentScore, assessment, "instrument", known, instruments)


def _require_known(given: dict, known: dict, field: str) -> None:
    unknown = [str(key) for key in given if key not in known]
    if unknown:
        message = _("Not part of this instrument version: %(codes)s")
        raise ValidationError(
            {
                field: ValidationError(
                    message, code="unknown_code", params={"codes": ", ".join(unknown)}
                )
            }
        )


@transaction.atomic
def item_answers_set(*, assessment: Assessment, answers: dict[str, dict[str, Any] | None]) -> None:
    """Store OIT item answers by item code ({present, evidence_url, note}); None forgets one."""
    known = {q.code: q for q in assessment.version.questions.filter(kind=Question.Kind.ITEM)}
    _require_known(answers, known, "items")
    for code, answer in answers.items():
        item = known[code]
        if answer is None:
            ItemAnswer.objects.filter(assessment=assessment, question=item).delete()
            continue
        upsert(
            ItemAnswer,
            {"assessment": assessment, "question": item},
            {
                "present": bool(answer["present"]),
                "evidence_url": answer.get("evidence_url", ""),
                "note": answer.get("note", ""),
            },
        )

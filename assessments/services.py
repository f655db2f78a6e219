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
    GradeBand,
    Indicator,
    IndicatorScore,
    Instrument,
    InstrumentScore,
    InstrumentVersion,
    ItemAnswer,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _upsert(model, lookup: dict[str, Any], values: dict[str, Any]):
    # Saving only real changes keeps the audit history free of no-op entries on a re-load.
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return _save(model(**lookup, **values))
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return _save(obj) if changed else obj


@transaction.atomic
def instrument_version_load(*, data: dict) -> InstrumentVersion:
    """Create or update a version from its JSON shape (assessments/data/ita2563.json); idempotent.

    Rows missing from the data are kept: deleting them would delete the scores that refer to them.
    """
    version = _upsert(
        InstrumentVersion,
        {"fiscal_year": int(data["fiscal_year"])},
        {
            "name_th": data["name_th"],
            "name_en": data.get("name_en", ""),
            "pass_mark": Decimal(str(data.get("pass_mark", "85.00"))),
        },
    )
    for band in data["grade_bands"]:
        _upsert(
            GradeBand,
            {"version": version, "grade": band["grade"]},
            {
                "lower": Decimal(str(band["lower"])),
                "label_th": band.get("label_th", ""),
                "label_en": band.get("label_en", ""),
            },
        )
    indicator_order = 0
    question_order = 0
    for instrument_order, row in enumerate(data["instruments"], start=1):
        instrument = _upsert(
            Instrument,
            {"version": version, "code": row["code"]},
            {
                "name_th": row["name_th"],
                "name_en": row.get("name_en", ""),
                "weight": Decimal(str(row["weight"])),
                "order": row.get("order", instrument_order),
            },
        )
        for indicator_row in row["indicators"]:
            indicator_order += 1
            indicator = _upsert(
                Indicator,
                {"version": version, "number": int(indicator_row["number"])},
                {
                    "instrument": instrument,
                    "name_th": indicator_row["name_th"],
                    "name_en": indicator_row.get("name_en", ""),
                    "order": indicator_order,
                },
            )
            groups = [(None, indicator_row.get("questions", []))]
            for sub_order, sub_row in enumerate(indicator_row.get("sub_indicators", []), start=1):
                sub = _upsert(
                    SubIndicator,
                    {"indicator": indicator, "key": sub_row["key"]},
                    {
                        "name_th": sub_row["name_th"],
                        "name_en": sub_row.get("name_en", ""),
                        "order": sub_order,
                    },
                )
                groups.append((sub, sub_row["items"]))
            for sub, questions in groups:
                for question_row in questions:
                    question_order += 1
                    _upsert(
                        Question,
                        {"version": version, "code": question_row["code"]},
                        {
                            "indicator": indicator,
                            "sub_indicator": sub,
                            "kind": Question.Kind.QUESTION if sub is None else Question.Kind.ITEM,
                            "text_th": question_row.get("text_th", ""),
                            "text_en": question_row.get("text_en", ""),
                            "order": question_order,
                        },
                    )
    return version


def instrument_version_dump(*, version: InstrumentVersion) -> dict:
    """Return a version in the JSON shape instrument_version_load reads."""
    indicators = list(version.indicators.order_by("order", "number"))
    subs = list(SubIndicator.objects.filter(indicator__version=version).order_by("order", "key"))
    questions = list(version.questions.order_by("order", "id"))
    return {
        "fiscal_year": version.fiscal_year,
        "name_th": version.name_th,
        "name_en": version.name_en,
        "pass_mark": str(version.pass_mark),
        "grade_bands": [
            {
                "grade": band.grade,
                "lower": str(band.lower),
                "label_th": band.label_th,
                "label_en": band.label_en,
            }
            for band in version.grade_bands.order_by("-lower")
        ],
        "instruments": [
            {
                "code": instrument.code,
                "name_th": instrument.name_th,
                "name_en": instrument.name_en,
                "weight": str(instrument.weight),
                "order": instrument.order,
                "indicators": [
                    {
                        "number": indicator.number,
                        "name_th": indicator.name_th,
                        "name_en": indicator.name_en,
                        "questions": [
                            _question_dump(q)
                            for q in questions
                            if q.indicator_id == indicator.pk and q.sub_indicator_id is None
                        ],
                        "sub_indicators": [
                            {
                                "key": sub.key,
                                "name_th": sub.name_th,
                                "name_en": sub.name_en,
                                "items": [
                                    _question_dump(q)
                                    for q in questions
                                    if q.sub_indicator_id == sub.pk
                                ],
                            }
                            for sub in subs
                            if sub.indicator_id == indicator.pk
                        ],
                    }
                    for indicator in indicators
                    if indicator.instrument_id == instrument.pk
                ],
            }
            for instrument in version.instruments.order_by("order", "code")
        ],
    }


def _question_dump(question: Question) -> dict:
    return {"code": question.code, "text_th": question.text_th, "text_en": question.text_en}


@transaction.atomic
def instrument_version_copy(
    *, source: InstrumentVersion, fiscal_year: int, name_th: str, name_en: str = ""
) -> InstrumentVersion:
    """Create a new fiscal year's version with the same structure, weights and bands as source."""
    if InstrumentVersion.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(
            {
                "fiscal_year": ValidationError(
                    _("A version for this fiscal year already exists."), code="exists"
                )
            }
        )
    data = instrument_version_dump(version=source)
    data.update(fiscal_year=fiscal_year, name_th=name_th, name_en=name_en)
    version = instrument_version_load(data=data)
    version.copied_from = source
    return _save(version)


# --- Assessments ----------------------------------------------------------------------------------


@transaction.atomic
def assessment_upsert(*, agency: Agency, fiscal_year: int, values: dict[str, Any]) -> Assessment:
    """Create or update an agency's assessment of a year, against that year's instrument version."""
    version = InstrumentVersion.objects.filter(fiscal_year=fiscal_year).first()
    if version is None:
        raise ValidationError(
            {
                "fiscal_year": ValidationError(
                    _("There is no instrument version for this fiscal year."), code="no_version"
                )
            }
        )
    return _upsert(
        Assessment, {"agency": agency, "fiscal_year": fiscal_year}, {"version": version, **values}
    )


def _set_scores(model, assessment: Assessment, field: str, objects: dict, scores: dict) -> None:
    for key, score in scores.items():
        obj = objects[key]
        if score is None:
            model.objects.filter(assessment=assessment, **{field: obj}).delete()
        else:
            _upsert(model, {"assessment": assessment, field: obj}, {"score": Decimal(str(score))})


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
        _upsert(
            ItemAnswer,
            {"assessment": assessment, "question": item},
            {
                "present": bool(answer["present"]),
                "evidence_url": answer.get("evidence_url", ""),
                "note": answer.get("note", ""),
            },
        )

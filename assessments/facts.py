"""One assessment's result as plain data: the shape the result partials render.

The assessment page and the executive summary (HTML, PDF, xlsx) show Table 1, the weighted table
and the weak questions through the same partials (templates/reports/partials/), so both read this
dict. Where NACC's published total and grade are recorded they are the official figures, shown
first; the total computed from the scores stands beside them with its difference classified.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

from assessments import scoring
from assessments.selectors import AssessmentReport


def _percent(weight: Decimal) -> Decimal | int:
    value = weight * 100
    return int(value) if value == value.to_integral_value() else value.normalize()


def _figure(figure: scoring.Figure) -> dict:
    return {
        "score": figure.display,
        "reported": figure.reported,
        "mismatch": figure.mismatch,
    }


def _total_check(total: scoring.Figure) -> dict | None:
    """Compare the computed total with the published one; None unless both exist."""
    kind = total.agreement
    if kind is None:
        return None
    difference = total.difference
    return {
        "kind": kind,
        "computed": total.display,
        "difference": difference,
        "difference_abs": abs(difference),
        "direction": "up" if difference > 0 else "down" if difference < 0 else "same",
    }


def _weak(report: AssessmentReport, measures: Mapping[str, list]) -> list[dict]:
    return [
        {
            "code": q.code,
            "text_th": q.text_th,
            "text_en": q.text_en,
            "score": q.score,
            "instrument_code": q.instrument_code,
            "indicator_number": q.indicator_number,
            "indicator_name_th": q.indicator_name_th,
            "indicator_name_en": q.indicator_name_en,
            "rise_to_pass": q.rise_to_pass,
            "indicator_score": q.indicator_score,
            "indicator_rise": q.indicator_rise,
            "indicator_rise_to": q.indicator_rise_to,
            "measures": measures.get(q.code, []),
        }
        for q in report.weak_questions
    ]


def _level_label(level: str) -> str:
    return {
        "sub_indicator": _("Sub-indicator"),
        "indicator": _("Indicator"),
        "instrument": _("Instrument"),
        "total": _("Total"),
        "grade": _("Grade"),
    }[level]


def _discrepancy(d: scoring.Discrepancy) -> dict:
    return {
        "level": d.level,
        "level_label": _level_label(d.level),
        "key": d.key,
        # What the row is about below the level's name: a sub-indicator, indicator or instrument
        # (the total and the grade need nothing more).
        "item": "" if d.level in ("total", "grade") else d.key,
        "computed": d.computed,
        "reported": d.reported,
        "difference": d.difference,
    }


def assessment_facts(
    report: AssessmentReport, *, measures: Mapping[str, list] | None = None
) -> dict:
    """Return an assessment's tables and headline figures as plain data (no queries).

    measures maps a question code to the measures addressing it, each with a number and a
    plan_year (as keys or attributes).
    """
    result = report.result
    pass_mark = report.version.pass_mark
    total = result.total.official
    instruments = [
        {
            "code": row.code,
            "name_th": row.name_th,
            "name_en": row.name_en,
            "weight_percent": _percent(row.weight),
            **_figure(row.figure),
            "weighted": row.weighted_display,
            "indicator_count": row.indicator_count,
            "question_count": row.question_count,
            "indicators": [
                {
                    "number": ind.number,
                    "name_th": ind.name_th,
                    "name_en": ind.name_en,
                    "question_count": ind.question_count,
                    **_figure(ind.figure),
                    "below": ind.figure.display is not None and ind.figure.display < pass_mark,
                }
                for ind in report.indicators
                if ind.instrument_code == row.code
            ],
        }
        for row in report.instruments
    ]
    weak = _weak(report, measures or {})
    return {
        "fiscal_year": report.assessment.fiscal_year,
        "pass_mark": pass_mark,
        # The official total and grade: as published, or else as computed.
        "total": total,
        "grade": result.official_grade,
        "level": _level(report.level),
        "published": result.total.reported is not None,
        "grade_published": bool(report.assessment.reported_grade.strip()),
        "passed": None if total is None else total >= pass_mark,
        # The total computed from the scores (None when only the published total is known).
        "computed_total": None if result.total.computed is None else result.total.display,
        "total_check": _total_check(result.total),
        "instruments": instruments,
        "weight_percent_total": sum(i["weight_percent"] for i in instruments),
        "instrument_scores_known": any(i["score"] is not None for i in instruments),
        "weak_count": len(weak),
        "weak_questions": weak,
        "weak_by_instrument": [
            {"code": row.code, "count": len(codes), "codes": codes}
            for row in report.instruments
            if (codes := [q["code"] for q in weak if q["instrument_code"] == row.code])
        ],
        "lowest_question": weak[0] if weak else None,
        "known_question_count": report.known_question_count,
        "question_count": report.question_count,
        "discrepancies": [_discrepancy(d) for d in report.discrepancies],
        "rounding_notes": [_discrepancy(d) for d in result.rounding_notes],
    }


def _level(band) -> dict | None:
    # The official grade's level as the pages and reports show it: label, rule, and whether a
    # source confirms the rule.
    if band is None:
        return None
    return {
        "code": band.grade,
        "label_th": band.label_th,
        "label_en": band.label_en,
        "rule": band.rule_text(),
        "verified": band.verified,
    }

"""Plain-data contexts of the reports, built from the assessments' and measures' selectors.

The HTML page, the PDF and the xlsx export of a report all render the same dict, so the three
never disagree. Nothing here renders or formats text for display: the templates write the
narrative from these facts, in the reader's language, with Arabic or Thai digits.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Agency
from assessments.comparisons import agency_history
from assessments.facts import assessment_facts
from assessments.models import Assessment
from assessments.selectors import assessment_report, assessment_results
from measures.models import Plan, ProgressReport, Round
from measures.selectors import plan_for_assessment, plan_overview, round_progress
from oit.models import OitRound
from surveys.models import RoundScore

# The instruments the agency's own surveys score (the OIT is checked, not asked).
SURVEYED = ("IIT", "EIT")


def _agency(agency: Agency) -> dict:
    return {
        "code": agency.code,
        "name_th": agency.name_th,
        "name_en": agency.name_en,
        "abbreviation": agency.abbreviation,
        "ministry": agency.ministry,
    }


def _previous(history: list, fiscal_year: int, total: Decimal | None) -> dict | None:
    earlier = [row for row in history if row.fiscal_year < fiscal_year and row.total is not None]
    if not earlier or total is None:
        return None
    row = earlier[-1]
    change = total - row.total
    return {
        "fiscal_year": row.fiscal_year,
        "total": row.total,
        "grade": row.grade,
        "change": change,
        "change_abs": abs(change),
        "direction": "up" if change > 0 else "down" if change < 0 else "same",
    }


def _indicator(row) -> dict | None:
    if row is None:
        return None
    return {
        "number": row.number,
        "name_th": row.name_th,
        "name_en": row.name_en,
        "score": row.figure.display,
    }


def _plan(overview) -> dict | None:
    if overview is None:
        return None
    plan = overview.plan
    return {
        "fiscal_year": plan.fiscal_year,
        "title_th": plan.title_th,
        "title_en": plan.title_en,
        "measures": [
            {
                "number": m.number,
                "title_th": m.title_th,
                "title_en": m.title_en,
                "questions": list(m.questions),
                "activities": [
                    {
                        "number": a.number,
                        "title_th": a.title_th,
                        "title_en": a.title_en,
                        "questions": list(a.questions),
                        "units": [u.code for u in a.units],
                        "lead_unit": a.lead_unit.code,
                        "deadline": a.deadline,
                        "latest": None
                        if a.latest_approved is None
                        else {
                            "round_name_th": a.latest_approved.round_name_th,
                            "round_name_en": a.latest_approved.round_name_en,
                            "status_label": a.latest_approved.status_label,
                            "percent": a.latest_approved.percent,
                        },
                    }
                    for a in m.activities
                ],
            }
            for m in overview.measures
        ],
    }


def _measures_by_question(plan: dict | None) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for measure in (plan or {}).get("measures", []):
        codes = set(measure["questions"])
        for activity in measure["activities"]:
            codes.update(activity["questions"])
        for code in codes:
            found[code].append(measure["number"])
    return found


def _sources(own: Assessment) -> dict[str, str]:
    # Where each instrument of a self-assessment came from, where the data records it: a closed
    # survey's organisation score, or the head's approval of the OIT self-check.
    found = {code: "survey" for code in SURVEYED if getattr(own, f"surveyed_{code.lower()}")}
    if own.oit_checked:
        found["OIT"] = "oit_check"
    return found


def _difference(own: Decimal | None, official: Decimal | None) -> Decimal | None:
    return None if own is None or official is None else own - official


def _self_assessment(
    assessment: Assessment, official: list[dict], official_total: Decimal | None
) -> dict | None:
    """Return the agency's self-assessment of the same year beside the official figures.

    One query when there is none; eleven when there is (the row with its sources, then its
    version's rows and scores). Only the summary's own year is read.
    """
    agency_id, year = assessment.agency_id, assessment.fiscal_year
    surveyed = {
        f"surveyed_{code.lower()}": Exists(
            RoundScore.objects.filter(
                round__agency_id=agency_id,
                round__instrument__version__fiscal_year=year,
                round__instrument__code=code,
                survey_unit__isnull=True,
                level=RoundScore.Level.INSTRUMENT,
            )
        )
        for code in SURVEYED
    }
    oit_checked = Exists(
        OitRound.objects.filter(
            agency_id=OuterRef("agency_id"),
            fiscal_year=OuterRef("fiscal_year"),
            state=OitRound.State.APPROVED,
        )
    )
    own = (
        Assessment.objects.filter(agency_id=agency_id, fiscal_year=year, kind=Assessment.Kind.SELF)
        .select_related("version")
        .annotate(**surveyed, oit_checked=oit_checked)
        .first()
    )
    if own is None:
        return None
    versions, results = assessment_results([own])
    result = results[own.pk][1]
    band = versions[own.version_id].level(result.official_grade)
    sources = _sources(own)
    instruments = []
    for row in official:
        figure = result.instruments.get(row["code"])
        score = None if figure is None else figure.display
        instruments.append(
            {
                "code": row["code"],
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "official": row["score"],
                "score": score,
                "difference": _difference(score, row["score"]),
                "source": sources.get(row["code"], ""),
            }
        )
    return {
        "fiscal_year": own.fiscal_year,
        "total": result.total.official,
        "total_difference": _difference(result.total.official, official_total),
        "grade": result.official_grade,
        "level": None
        if band is None
        else {"code": band.grade, "label_th": band.label_th, "label_en": band.label_en},
        "instruments": instruments,
        "sources": sorted(set(sources.values()), key=["survey", "oit_check"].index),
    }


def executive_summary(assessment: Assessment) -> dict:
    """Gather the executive summary's facts: figures, history, weaknesses and the plan.

    Only that year and earlier years are read (a later year never reaches the summary of an
    earlier one). The assessment comes with select_related("agency", "version").
    """
    report = assessment_report(assessment)
    history = agency_history(report.agency, up_to=assessment.fiscal_year)
    plan = plan_for_assessment(assessment)
    plan_data = _plan(plan_overview(plan) if plan else None)
    measures = {
        code: [{"number": number, "plan_year": plan_data["fiscal_year"]} for number in numbers]
        for code, numbers in _measures_by_question(plan_data).items()
    }
    facts = assessment_facts(report, measures=measures)
    return {
        **facts,
        "agency": _agency(report.agency),
        "version_name_th": report.version.name_th,
        "version_name_en": report.version.name_en,
        "rank": assessment.rank,
        "rank_of": assessment.rank_of,
        "ministry_rank": assessment.ministry_rank,
        "ministry_rank_of": assessment.ministry_rank_of,
        "previous": _previous(history, assessment.fiscal_year, facts["total"]),
        "highest": _indicator(report.highest_indicator),
        "lowest": _indicator(report.lowest_indicator),
        "history": [
            {
                "fiscal_year": row.fiscal_year,
                "total": row.total,
                "grade": row.grade,
                "rank": row.rank,
                "rank_of": row.rank_of,
            }
            for row in history
        ],
        "trend": [(row.fiscal_year, row.total) for row in history],
        "bands": [(band.grade, band.lower) for band in report.spec.grade_bands],
        "plan": plan_data,
        # The agency's own figures of the year, beside NACC's; None when it has none.
        "self_assessment": _self_assessment(assessment, facts["instruments"], facts["total"]),
        "generated_on": timezone.localdate(),
    }


def progress_report(plan: Plan, round_: Round) -> dict:
    """Gather a round's report of every activity of a plan, grouped by measure.

    The plan comes with select_related("agency").
    """
    progress = round_progress(plan, round_)
    measures = {m.number: m for m in plan.measures.all()}
    grouped: dict[int, list[dict]] = defaultdict(list)
    for a in progress.activities:
        p = a.progress
        grouped[a.measure_number].append(
            {
                "number": a.number,
                "title_th": a.title_th,
                "title_en": a.title_en,
                "units": [u.code for u in a.units],
                "lead_unit": a.lead_unit.code,
                "deadline": a.deadline,
                "status": p.status,
                "status_label": p.status_label,
                "percent": p.percent,
                "results": p.results,
                "obstacles": p.obstacles,
                "next_steps": p.next_steps,
                "state": p.state,
                "state_label": p.state_label,
                "evidence": [
                    {"name": e.name, "url": e.url, "is_link": e.is_link} for e in p.evidence
                ],
            }
        )
    statuses = Counter(a.progress.status for a in progress.activities)
    r = progress.round
    return {
        "agency": _agency(plan.agency),
        "plan": {
            "fiscal_year": plan.fiscal_year,
            "title_th": plan.title_th,
            "title_en": plan.title_en,
        },
        "round": {
            "number": r.number,
            "name_th": r.name_th,
            "name_en": r.name_en,
            "period_start": r.period_start,
            "period_end": r.period_end,
            "due_on": r.due_on,
            "is_locked": r.is_locked,
        },
        "activity_count": len(progress.activities),
        # Official figures (measures.selectors.progress): approved reports only.
        "mean_percent": progress.mean_percent,
        "approved_count": progress.approved,
        "awaiting_review": progress.awaiting_review,
        "counts": [
            {"status": status.value, "label": str(status.label), "count": statuses[status.value]}
            for status in ProgressReport.Status
            if statuses[status.value]
        ],
        "measures": [
            {
                "number": number,
                "title_th": measures[number].title_th,
                "title_en": measures[number].title_en,
                "activities": activities,
            }
            for number, activities in sorted(grouped.items())
        ],
        "generated_on": timezone.localdate(),
    }

"""The facts of a plan's measures document (มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน).

The document of plan year N is built on the assessment of year N − 1 (the plan's `based_on`, or
else the agency's assessment of the previous year) and reads that year and earlier ones only, as
the executive summary does: a later year's data never changes an earlier document. The plan's
own rows (measures, activities, steps, its texts, approaches and settings) belong to that plan.
Everything here is plain data; reports.document_blocks writes it as the document's sections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from assessments.comparisons import agency_history, ministry_peers
from assessments.facts import assessment_facts
from assessments.models import Assessment, QuestionScore
from assessments.selectors import assessment_report
from measures.models import Plan, Round
from measures.selectors import plan_overview, round_progress
from reports.builders import _agency
from reports.models import DocumentSettings, DocumentText, WeaknessApproach

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Question:
    code: str
    text_th: str
    text_en: str
    score: Decimal


def assessment_for_plan(plan: Plan) -> Assessment | None:
    """Return the assessment a plan was built on, else the agency's of the previous year."""
    rows = Assessment.objects.select_related("agency", "version")
    if plan.based_on_id is not None:
        return rows.get(pk=plan.based_on_id)
    previous = rows.official().filter(agency_id=plan.agency_id, fiscal_year=plan.fiscal_year - 1)
    return previous.first()


def _bands(spec) -> list[dict]:
    """The grade scale from the top, each band with its lowest and highest total."""
    ordered = sorted(spec.grade_bands, key=lambda band: band.lower, reverse=True)
    rows, upper = [], HUNDRED
    for band in ordered:
        rows.append({"grade": band.grade, "lower": band.lower, "upper": upper})
        upper = band.lower - CENT
    return rows


def _questions_by_indicator(assessment: Assessment) -> dict[int, list[Question]]:
    """Every known question score of the assessment, by indicator number (one query)."""
    found: dict[int, list[Question]] = defaultdict(list)
    rows = QuestionScore.objects.filter(assessment=assessment).values_list(
        "question__indicator__number",
        "question__code",
        "question__text_th",
        "question__text_en",
        "score",
    )
    for number, code, text_th, text_en, score in rows:
        found[number].append(Question(code, text_th, text_en, score))
    return found


def _narrative_facts(facts: dict, known: dict[int, list[Question]]) -> list[dict]:
    """Each indicator's score with its highest and lowest questions where the scores say so.

    The highest is named only when every question of the indicator is known; the lowest is the
    lowest known one, flagged `complete` when every question is known.
    """
    rows = []
    for instrument in facts["instruments"]:
        for ind in instrument["indicators"]:
            questions = sorted(known.get(ind["number"], []), key=lambda q: (q.score, q.code))
            complete = bool(questions) and len(questions) == ind["question_count"]
            rows.append(
                {
                    "instrument_code": instrument["code"],
                    "number": ind["number"],
                    "name_th": ind["name_th"],
                    "name_en": ind["name_en"],
                    "score": ind["score"],
                    "complete": complete,
                    "lowest": questions[0].__dict__ if questions else None,
                    "highest": questions[-1].__dict__ if complete else None,
                }
            )
    return rows


def _plan(overview) -> list[dict]:
    return [
        {
            "pk": m.pk,
            "number": m.number,
            "title_th": m.title_th,
            "title_en": m.title_en,
            "questions": list(m.questions),
            "activities": [
                {
                    "number": a.number,
                    "title_th": a.title_th,
                    "title_en": a.title_en,
                    "steps": [{"text_th": s.text_th, "text_en": s.text_en} for s in a.steps],
                    "owners": [u.code for u in a.units],
                    "deadline": a.deadline,
                    "cadence": a.cadence,
                    "cadence_label": str(a.cadence_label),
                    "questions": list(a.questions),
                }
                for a in m.activities
            ],
        }
        for m in overview.measures
    ]


def _approaches(plan: Plan, weak: list[dict]) -> list[dict]:
    """The §4 rows: each weakness a measure answers, lowest score first (one query)."""
    order = {q["code"]: index for index, q in enumerate(weak)}
    by_code = {q["code"]: q for q in weak}
    rows = WeaknessApproach.objects.filter(measure__plan=plan).values_list(
        "pk",
        "measure__number",
        "question__code",
        "question__text_th",
        "question__text_en",
        "approach",
        "responsible",
    )
    found = []
    for pk, number, code, text_th, text_en, approach, responsible in rows:
        q = by_code.get(code, {})
        found.append(
            {
                "pk": pk,
                "measure_number": number,
                "code": code,
                "text_th": text_th,
                "text_en": text_en,
                "instrument_code": q.get("instrument_code", ""),
                "indicator_name_th": q.get("indicator_name_th", ""),
                "indicator_name_en": q.get("indicator_name_en", ""),
                "score": q.get("score"),
                "approach": approach,
                "responsible": responsible,
            }
        )
    found.sort(key=lambda row: (order.get(row["code"], len(order)), row["measure_number"]))
    return found


def _settings(plan: Plan) -> dict:
    row = DocumentSettings.objects.filter(plan=plan).first()
    if row is None:
        return {
            "issuing_unit": "",
            "issued_on": None,
            "signer_name": "",
            "signer_position": "",
            "memo": False,
            "memo_to": "",
            "memo_reference": "",
        }
    return {
        "issuing_unit": row.issuing_unit,
        "issued_on": row.issued_on,
        "signer_name": row.signer_name,
        "signer_position": row.signer_position,
        "memo": row.memo,
        "memo_to": row.memo_to,
        "memo_reference": row.memo_reference,
    }


def document_facts(plan: Plan) -> dict:
    """Gather every fact of a plan's measures document as plain data.

    The plan comes with select_related("agency"). Without an assessment to build on, the
    analysis sections are empty (`result` is None) and the plan's sections still stand.
    """
    assessment = assessment_for_plan(plan)
    overview = plan_overview(plan)
    measures = _plan(overview)
    texts = dict(DocumentText.objects.filter(plan=plan).values_list("key", "text"))
    data = {
        "agency": _agency(plan.agency),
        "plan_year": plan.fiscal_year,
        "title_th": plan.title_th,
        "title_en": plan.title_en,
        "measures": measures,
        "texts": texts,
        "settings": _settings(plan),
        "result": None,
        "approaches": [],
    }
    if assessment is None:
        return data
    report = assessment_report(assessment)
    facts = assessment_facts(report)
    history = agency_history(report.agency, up_to=assessment.fiscal_year)
    peers = ministry_peers(report.agency, assessment.fiscal_year)
    approaches = _approaches(plan, facts["weak_questions"])
    chosen = {row["code"] for row in approaches}
    for q in facts["weak_questions"]:
        q["chosen"] = q["code"] in chosen
    indicators = [ind for i in facts["instruments"] for ind in i["indicators"]]
    ranked = sorted(
        (ind for ind in indicators if ind["score"] is not None),
        key=lambda ind: (-ind["score"], ind["number"]),
    )
    previous = [row for row in history if row.fiscal_year < assessment.fiscal_year and row.total]
    data["approaches"] = approaches
    data["result"] = {
        **facts,
        "assessment_year": assessment.fiscal_year,
        "version_name_th": report.version.name_th,
        "rank": assessment.rank,
        "rank_of": assessment.rank_of,
        "ministry_rank": assessment.ministry_rank,
        "ministry_rank_of": assessment.ministry_rank_of,
        "ministry": report.agency.ministry,
        "sample": {
            code: {
                "respondents": status.respondents,
                "population": status.population,
                "required": status.required,
                "sufficient": status.sufficient,
            }
            for code, status in report.sample.items()
        },
        "sub_indicators": [
            {
                "key": sub.key,
                "name_th": sub.name_th,
                "name_en": sub.name_en,
                "indicator_number": sub.indicator_number,
                "item_count": sub.item_count,
                "score": sub.figure.display,
            }
            for sub in report.sub_indicators
        ],
        "bands": _bands(report.spec),
        "ranked_indicators": ranked,
        "highest": ranked[0] if ranked else None,
        "lowest": ranked[-1] if ranked else None,
        "history": [
            {
                "fiscal_year": row.fiscal_year,
                "total": row.total,
                "rank": row.rank,
                "rank_of": row.rank_of,
            }
            for row in history
        ],
        "previous": (
            {"fiscal_year": previous[-1].fiscal_year, "total": previous[-1].total}
            if previous
            else None
        ),
        "peers": [
            {
                "position": peer.position,
                "name_th": peer.agency.name_th,
                "name_en": peer.agency.name_en,
                "total": peer.total,
                "is_home": peer.is_home,
            }
            for peer in peers
        ],
        "narratives": _narrative_facts(facts, _questions_by_indicator(assessment)),
    }
    return data


def twelve_month_facts(plan: Plan, round_: Round) -> dict:
    """The document's facts with a round's progress of every activity (the 12-month report)."""
    data = document_facts(plan)
    progress = round_progress(plan, round_)
    by_number = {a.number: a.progress for a in progress.activities}
    for measure in data["measures"]:
        for activity in measure["activities"]:
            p = by_number.get(activity["number"])
            activity["progress"] = (
                None
                if p is None or p.state != "approved"
                else {
                    "status_label": str(p.status_label),
                    "percent": p.percent,
                    "results": p.results,
                    "obstacles": p.obstacles,
                    "next_steps": p.next_steps,
                }
            )
    data["round"] = {
        "number": progress.round.number,
        "name_th": progress.round.name_th,
        "name_en": progress.round.name_en,
        "period_start": progress.round.period_start,
        "period_end": progress.round.period_end,
    }
    data["mean_percent"] = progress.mean_percent
    data["approved_count"] = progress.approved
    data["activity_count"] = len(progress.activities)
    return data

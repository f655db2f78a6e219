"""Plans made from other data: a copy into the next year, a draft from an assessment."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from measures.models import Activity, Measure, Plan, Round, Step
from measures.services.common import save
from measures.services.plans import plan_create


def _shift_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _next_year_title(title: str, year: int) -> str:
    thai_from = str(year).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    thai_to = str(year + 1).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    return re.sub(rf"\b{year}\b", str(year + 1), title).replace(thai_from, thai_to)


@transaction.atomic
def plan_copy(*, plan: Plan, user: User) -> Plan:
    """Copy a plan into the next fiscal year: same measures, activities and steps, no reports."""
    if Plan.objects.filter(agency=plan.agency, fiscal_year=plan.fiscal_year + 1).exists():
        raise ValidationError(
            _("A plan for fiscal year %(year)s already exists.") % {"year": plan.fiscal_year + 1},
            code="plan_exists",
        )
    new = save(
        Plan(
            agency=plan.agency,
            fiscal_year=plan.fiscal_year + 1,
            title_th=_next_year_title(plan.title_th, plan.fiscal_year),
            title_en=_next_year_title(plan.title_en, plan.fiscal_year),
        ),
        user,
    )
    for old_round in plan.rounds.all():
        save(
            Round(
                plan=new,
                number=old_round.number,
                name_th=old_round.name_th,
                name_en=old_round.name_en,
                period_start=_shift_year(old_round.period_start),
                period_end=_shift_year(old_round.period_end),
                opens_on=_shift_year(old_round.opens_on),
                due_on=_shift_year(old_round.due_on),
            ),
            user,
        )
    for old_measure in plan.measures.prefetch_related("questions"):
        measure = save(
            Measure(
                plan=new,
                number=old_measure.number,
                title_th=old_measure.title_th,
                title_en=old_measure.title_en,
                rationale_th=old_measure.rationale_th,
                rationale_en=old_measure.rationale_en,
                indicators=list(old_measure.indicators),
            ),
            user,
        )
        measure.questions.set(old_measure.questions.all())
        for old in old_measure.activities.prefetch_related("units", "questions", "steps"):
            activity = save(
                Activity(
                    measure=measure,
                    number=old.number,
                    title_th=old.title_th,
                    title_en=old.title_en,
                    lead_unit_id=old.lead_unit_id,
                    deadline=_shift_year(old.deadline),
                    cadence=old.cadence,
                ),
                user,
            )
            activity.units.set(old.units.all())
            activity.questions.set(old.questions.all())
            for step in old.steps.all():
                save(
                    Step(
                        activity=activity,
                        order=step.order,
                        text_th=step.text_th,
                        text_en=step.text_en,
                    ),
                    user,
                )
    return new


@transaction.atomic
def plan_draft_from_assessment(*, assessment, user: User) -> Plan:
    """Draft next year's plan from an assessment: one measure per indicator with weak questions.

    A question is weak below the version's pass mark (scoring.weak_questions). Measures are
    ordered by their weakest question, lowest first, and cite every weak question of their
    indicator; admins then write the activities.
    """
    from assessments.models import QuestionScore
    from assessments.scoring import weak_questions

    year = assessment.fiscal_year + 1
    if Plan.objects.filter(agency_id=assessment.agency_id, fiscal_year=year).exists():
        raise ValidationError(
            _("A plan for fiscal year %(year)s already exists.") % {"year": year},
            code="plan_exists",
        )
    scores = {
        s.question.code: (s.score, s.question)
        for s in QuestionScore.objects.filter(assessment=assessment).select_related(
            "question__indicator"
        )
    }
    weak = weak_questions(
        {code: score for code, (score, _q) in scores.items()}, assessment.version.pass_mark
    )
    plan = plan_create(
        plan=Plan(
            agency_id=assessment.agency_id,
            fiscal_year=year,
            title_th=f"มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {year}",
            title_en=f"Integrity and transparency measures, fiscal year {year}",
            based_on=assessment,
        ),
        user=user,
    )
    groups: dict[int, list] = {}
    for code, score in weak:
        question = scores[code][1]
        groups.setdefault(question.indicator_id, []).append((question, score))
    for number, items in enumerate(groups.values(), start=1):
        indicator = items[0][0].indicator
        listed = " ".join(f"{q.code} ({score})" for q, score in items)
        measure = save(
            Measure(
                plan=plan,
                number=number,
                title_th=f"มาตรการแก้ไขจุดอ่อน ตัวชี้วัดที่ {indicator.number} {indicator.name_th}",
                title_en=f"Measure on indicator {indicator.number} {indicator.name_en}".strip(),
                rationale_th=f"คำถามที่ได้คะแนนต่ำกว่าเกณฑ์ในปี {assessment.fiscal_year}: {listed}",
                indicators=[indicator.number],
            ),
            user,
        )
        measure.questions.set([q for q, _score in items])
    return plan

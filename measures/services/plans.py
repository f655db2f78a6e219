"""Writes that build a plan: plans, measures, activities, rounds."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from measures.models import Activity, Measure, Plan, Round, Step
from measures.services.common import _save


@transaction.atomic
def plan_save(*, plan: Plan, user: User) -> Plan:
    """Create or update a plan after validating it."""
    return _save(plan, user)


@transaction.atomic
def plan_create(*, plan: Plan, user: User) -> Plan:
    """Create a plan with the usual six- and twelve-month reporting rounds."""
    _save(plan, user)
    for fields in default_rounds(plan.fiscal_year):
        _save(Round(plan=plan, **fields), user)
    return plan


@transaction.atomic
def plan_publish(*, plan: Plan, user: User, publish: bool) -> Plan:
    """Publish a plan on the public disclosure page, or withdraw it."""
    plan.is_published = publish
    plan.published_at = timezone.now() if publish else None
    return _save(plan, user)


@transaction.atomic
def measure_save(*, measure: Measure, user: User, questions=None) -> Measure:
    """Create or update a measure and the weak questions it answers."""
    _save(measure, user)
    if questions is not None:
        measure.questions.set(questions)
    return measure


@transaction.atomic
def activity_save(
    *,
    activity: Activity,
    user: User,
    units: list[Unit],
    steps_th: list[str],
    questions=None,
) -> Activity:
    """Create or update an activity with its units (lead unit included) and ordered steps."""
    agency_id = activity.measure.plan.agency_id
    if any(unit.agency_id != agency_id for unit in [*units, activity.lead_unit]):
        raise ValidationError(_("Units must belong to the plan's agency."), code="unit_agency")
    _save(activity, user)
    activity.units.set({*units, activity.lead_unit})
    if questions is not None:
        activity.questions.set(questions)
    existing = {step.order: step for step in activity.steps.all()}
    for order, text in enumerate(steps_th, start=1):
        step = existing.pop(order, None) or Step(activity=activity, order=order)
        if step.text_th != text:
            step.text_th = text
            _save(step, user)
    for step in existing.values():
        step.delete()
    return activity


@transaction.atomic
def round_save(*, round_: Round, user: User) -> Round:
    """Create or update a reporting round."""
    return _save(round_, user)


@transaction.atomic
def round_lock(*, round_: Round, user: User, lock: bool) -> Round:
    """Lock a reviewed round against changes, or unlock it."""
    round_.locked_at = timezone.now() if lock else None
    round_.locked_by = user if lock else None
    return _save(round_, user)


def default_rounds(fiscal_year: int) -> list[dict]:
    """Return the usual six- and twelve-month rounds of a fiscal year (B.E.)."""
    ad = fiscal_year - 543
    return [
        {
            "number": 1,
            "name_th": "รอบ 6 เดือน",
            "name_en": "6-month round",
            "period_start": dt.date(ad - 1, 10, 1),
            "period_end": dt.date(ad, 3, 31),
            "opens_on": dt.date(ad, 3, 1),
            "due_on": dt.date(ad, 4, 15),
        },
        {
            "number": 2,
            "name_th": "รอบ 12 เดือน",
            "name_en": "12-month round",
            "period_start": dt.date(ad - 1, 10, 1),
            "period_end": dt.date(ad, 9, 30),
            "opens_on": dt.date(ad, 9, 1),
            "due_on": dt.date(ad, 10, 15),
        },
    ]

"""Writes that build a plan: plans, measures, activities, rounds."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from measures import notices
from measures.models import (
    Activity,
    Evidence,
    Measure,
    Plan,
    ProgressReport,
    Round,
    Step,
    SuccessIndicator,
    limits,
)
from measures.services.common import lock_round, save


@transaction.atomic
def plan_save(*, plan: Plan, user: User) -> Plan:
    """Create or update a plan; its rounds and deadlines must still lie in its fiscal year."""
    save(plan, user)
    outside = 0
    for row in [
        *plan.rounds.all(),
        *Activity.objects.filter(measure__plan=plan).select_related("measure__plan"),
    ]:
        try:
            row.clean()
        except ValidationError:
            outside += 1
    if outside:
        raise ValidationError(
            {
                "fiscal_year": ValidationError(
                    _(
                        "%(count)s rounds or activities of this plan have dates outside fiscal "
                        "year %(year)s: change them first, or copy the plan into that year."
                    ),
                    code="dates_outside_year",
                    params={"count": outside, "year": plan.fiscal_year},
                )
            }
        )
    return plan


@transaction.atomic
def plan_create(*, plan: Plan, user: User) -> Plan:
    """Create a plan with the usual six- and twelve-month reporting rounds."""
    save(plan, user)
    for fields in default_rounds(plan.fiscal_year):
        save(Round(plan=plan, **fields), user)
    return plan


@transaction.atomic
def plan_publish(*, plan: Plan, user: User, publish: bool) -> Plan:
    """Publish a plan on the public disclosure page, or withdraw it."""
    plan.is_published = publish
    plan.published_at = timezone.now() if publish else None
    return save(plan, user)


@transaction.atomic
def measure_save(*, measure: Measure, user: User, questions=None) -> Measure:
    """Create or update a measure and the weak questions it answers."""
    save(measure, user)
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
    owners: list[User] | None = None,
    indicators: list[dict] | None = None,
) -> Activity:
    """Create or update an activity: units (lead unit included), steps, named owners, indicators.

    People newly named owners are told so. `indicators` holds each success indicator's
    name_th, target and result, in order; None leaves them as they are.
    """
    agency_id = activity.measure.plan.agency_id
    if any(unit.agency_id != agency_id for unit in [*units, activity.lead_unit]):
        raise ValidationError(_("Units must belong to the plan's agency."), code="unit_agency")
    if owners and any(person.agency_id != agency_id for person in owners):
        raise ValidationError(
            _("Named owners must belong to the plan's agency."), code="owner_agency"
        )
    named_before = set(activity.owners.values_list("pk", flat=True)) if activity.pk else set()
    save(activity, user)
    activity.units.set({*units, activity.lead_unit})
    if questions is not None:
        activity.questions.set(questions)
    _save_steps(activity, user, steps_th)
    if indicators is not None:
        _save_indicators(activity, user, indicators)
    if owners is not None:
        activity.owners.set(owners)
        named = [person for person in owners if person.pk not in named_before]
        if named:
            notices.owners_named(activity, named, user)
    return activity


def _save_steps(activity: Activity, user: User, texts: list[str]) -> None:
    existing = {step.order: step for step in activity.steps.all()}
    for order, text in enumerate(texts, start=1):
        step = existing.pop(order, None) or Step(activity=activity, order=order)
        if step.text_th != text:
            step.text_th = text
            save(step, user)
    for step in existing.values():
        step.delete()


def _save_indicators(activity: Activity, user: User, rows: list[dict]) -> None:
    if len(rows) > limits.INDICATORS_PER_ACTIVITY:
        raise ValidationError(
            _("An activity can have at most %(limit)s success indicators.")
            % {"limit": limits.INDICATORS_PER_ACTIVITY},
            code="too_many_indicators",
        )
    existing = {row.order: row for row in activity.indicators.all()}
    for order, fields in enumerate(rows, start=1):
        indicator = existing.pop(order, None) or SuccessIndicator(activity=activity, order=order)
        values = {name: fields.get(name, "") for name in ("name_th", "target", "result")}
        if any(getattr(indicator, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(indicator, name, value)
            save(indicator, user)
    for indicator in existing.values():
        indicator._history_user = user
        indicator.delete()


@transaction.atomic
def round_save(*, round_: Round, user: User) -> Round:
    """Create or update a reporting round's name and dates; its lock stays as stored."""
    if round_.pk is not None:
        stored = lock_round(round_.pk)
        round_.locked_at, round_.locked_by_id = stored.locked_at, stored.locked_by_id
    return save(round_, user)


@transaction.atomic
def round_lock(*, round_: Round, user: User, lock: bool) -> Round:
    """Lock a reviewed round against changes (telling its people it is closed), or unlock it."""
    round_ = lock_round(round_.pk)
    was_locked = round_.is_locked
    round_.locked_at = timezone.now() if lock else None
    round_.locked_by = user if lock else None
    save(round_, user)
    if lock and not was_locked:
        notices.round_closed(round_, user)
    return round_


@transaction.atomic
def plan_delete(*, plan: Plan, user: User) -> None:
    """Delete a plan none of whose reports was ever submitted, with its drafts and their files.

    Its rounds are locked first, so no report can be submitted while it goes.
    """
    list(Round.objects.select_for_update(of=("self",)).filter(plan=plan))
    reports = ProgressReport.objects.filter(round__plan=plan)
    if reports.exclude(state=ProgressReport.State.DRAFT).exists():
        raise ValidationError(
            _("Reports of this plan have been submitted, so it cannot be deleted."),
            code="plan_has_reports",
        )
    # A file reused by several reports' evidence is one stored file: delete it once.
    files = {
        (e.file.storage, e.file.name)
        for e in Evidence.objects.filter(report__in=reports).exclude(file="")
    }
    plan._history_user = user
    plan.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


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

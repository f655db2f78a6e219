"""Writes on the measures plan: building plans, progress reports and their workflow, evidence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from accounts.roles import Role
from ita_portal.access import can_edit_for_units, can_see_agency
from ita_portal.thai import thai_date
from measures.models import Activity, Evidence, Measure, Plan, ProgressReport, Round, Step
from measures.uploads import check_evidence_file


class EditConflict(Exception):
    """Another user saved the report since this user's form was loaded."""

    def __init__(self, current: ProgressReport | None) -> None:
        super().__init__("edit conflict")
        self.current = current


# --- who may do what (one row's rules; views turn False into 403) -------------------------


def user_can_edit_report(user: User, activity: Activity, unit_ids: set[int]) -> bool:
    """Tell whether the user writes for one of the activity's units in its agency."""
    return can_see_agency(user, activity.measure.plan.agency) and can_edit_for_units(user, unit_ids)


def user_can_review(user: User, plan: Plan) -> bool:
    """Tell whether the user may approve or return the plan's reports."""
    return can_see_agency(user, plan.agency) and user.has_role(Role.MANAGER, Role.ADMIN)


def user_can_manage(user: User, plan_agency) -> bool:
    """Tell whether the user may build and publish the agency's plans."""
    return can_see_agency(user, plan_agency) and user.is_portal_admin


def _refuse_locked(round_: Round) -> None:
    if round_.is_locked:
        raise ValidationError(
            _("This round is locked: its reports can no longer be changed."), code="round_locked"
        )


def _refuse_not_open(round_: Round, today: dt.date) -> None:
    _refuse_locked(round_)
    if round_.opens_on > today:
        raise ValidationError(
            _("This round opens on %(day)s.") % {"day": thai_date(round_.opens_on)},
            code="round_not_open",
        )


# --- plans ------------------------------------------------------------------------------


def _save(instance, user: User | None = None):
    instance.full_clean()
    if user is not None:
        instance._history_user = user
    instance.save()
    return instance


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
    new = _save(
        Plan(
            agency=plan.agency,
            fiscal_year=plan.fiscal_year + 1,
            title_th=_next_year_title(plan.title_th, plan.fiscal_year),
            title_en=_next_year_title(plan.title_en, plan.fiscal_year),
        ),
        user,
    )
    for old_round in plan.rounds.all():
        _save(
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
        measure = _save(
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
            activity = _save(
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
                _save(
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
        measure = _save(
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


# --- progress reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    status: str
    percent: int
    steps_done: list[Step]
    results: str
    obstacles: str
    next_steps: str


def _load_for_update(report_id: int) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("round", "activity__measure__plan__agency")
        .get(pk=report_id)
    )


@transaction.atomic
def report_save(
    *,
    activity: Activity,
    round_: Round,
    user: User,
    version: int,
    data: ReportInput,
    today: dt.date | None = None,
) -> ProgressReport:
    """Save a report's content if nobody saved it since `version`; raise EditConflict if so."""
    today = today or timezone.localdate()
    if round_.plan_id != activity.measure.plan_id:
        raise ValidationError(_("The round belongs to another plan."), code="round_plan")
    if not user_can_edit_report(user, activity, {u.pk for u in activity.units.all()}):
        raise PermissionDenied
    _refuse_not_open(round_, today)
    if any(step.activity_id != activity.pk for step in data.steps_done):
        raise ValidationError(_("A step belongs to another activity."), code="step_activity")
    existing = ProgressReport.objects.filter(activity=activity, round=round_).first()
    if existing is None:
        if version != 0:
            raise EditConflict(None)
        report = ProgressReport(activity=activity, round=round_)
    else:
        report = _load_for_update(existing.pk)
        if report.version != version:
            raise EditConflict(report)
        report.version += 1
    if not report.is_editable_state:
        raise ValidationError(
            _("A submitted or approved report cannot be changed."), code="report_state"
        )
    report.status = data.status
    report.percent = data.percent
    report.results = data.results
    report.obstacles = data.obstacles
    report.next_steps = data.next_steps
    report.full_clean()
    report._history_user = user
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone created the same (activity, round) report between our check and insert.
        raise EditConflict(ProgressReport.objects.get(activity=activity, round=round_)) from None
    report.steps_done.set(data.steps_done)
    return report


def _transition(
    report: ProgressReport, user: User, version: int, allowed: tuple[str, ...]
) -> ProgressReport:
    locked = _load_for_update(report.pk)
    _refuse_locked(locked.round)
    if locked.version != version:
        raise EditConflict(locked)
    if locked.state not in allowed:
        raise ValidationError(
            _("This action is not possible in the report's current state."), code="report_state"
        )
    locked.version += 1
    locked._history_user = user
    return locked


@transaction.atomic
def report_submit(*, report: ProgressReport, user: User, version: int) -> ProgressReport:
    """Send a draft or returned report to the managers for review."""
    activity = report.activity
    if not user_can_edit_report(user, activity, {u.pk for u in activity.units.all()}):
        raise PermissionDenied
    report = _transition(
        report, user, version, (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)
    )
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_review(
    *, report: ProgressReport, user: User, version: int, approve: bool, comment: str
) -> ProgressReport:
    """Approve a submitted report, or return it to its units with a comment."""
    if not user_can_review(user, report.round.plan):
        raise PermissionDenied
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say what must be corrected when returning a report."),
                    code="comment_required",
                )
            }
        )
    report = _transition(report, user, version, (ProgressReport.State.SUBMITTED,))
    report.state = ProgressReport.State.APPROVED if approve else ProgressReport.State.RETURNED
    report.review_comment = comment
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.full_clean()
    report.save()
    return report


# --- evidence --------------------------------------------------------------------------------


def _check_evidence_editable(report: ProgressReport, user: User) -> None:
    activity = report.activity
    if not user_can_edit_report(user, activity, {u.pk for u in activity.units.all()}):
        raise PermissionDenied
    _refuse_locked(report.round)
    if not report.is_editable_state:
        raise ValidationError(
            _("A submitted or approved report cannot be changed."), code="report_state"
        )


@transaction.atomic
def evidence_add(*, report: ProgressReport, user: User, file=None, url: str = "") -> Evidence:
    """Attach an evidence file (checked by content) or a link to a report."""
    _check_evidence_editable(report, user)
    evidence = Evidence(report=report, uploaded_by=user)
    if file is not None:
        evidence.content_type, _extension = check_evidence_file(file)
        evidence.original_name = file.name
        evidence.size = file.size
        evidence.file = file
    elif url:
        evidence.url = url
    else:
        raise ValidationError(_("Choose a file or give a link."), code="evidence_empty")
    evidence.full_clean()
    evidence._history_user = user
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User) -> None:
    """Remove an evidence file or link from a report that can still be changed."""
    _check_evidence_editable(evidence.report, user)
    stored = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage if evidence.file else None
    evidence._history_user = user
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))

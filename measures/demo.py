"""Demo data: OIE's 2564 measures plan exactly as the seed gives it, with a few round-1 reports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Unit, User
from assessments.models import Assessment, Question
from measures.models import Activity, Measure, Plan, ProgressReport, Round, Step
from measures.services import default_rounds

DATA = Path(__file__).resolve().parent / "data" / "oie2564_plan.json"

# (activity number, status, percent, state, results): one approved, one submitted, one draft.
DEMO_REPORTS = (
    (
        "1.1",
        ProgressReport.Status.DONE,
        100,
        ProgressReport.State.APPROVED,
        "จัดทำรายละเอียดของตำแหน่งงานและเกณฑ์การประเมินผลการปฏิบัติงาน เผยแพร่ในระบบอินทราเน็ต "
        "และเปิดรับฟังความคิดเห็นของบุคลากรแล้ว",
    ),
    (
        "4.1",
        ProgressReport.Status.IN_PROGRESS,
        70,
        ProgressReport.State.SUBMITTED,
        "จัดทำ Infographic แผนการใช้จ่ายงบประมาณและเผยแพร่ทางไลน์กลุ่ม สศอ. แล้ว "
        "รายงานผลการเบิกจ่ายในการประชุมผู้บริหารทุกเดือน",
    ),
    (
        "5.1",
        ProgressReport.Status.IN_PROGRESS,
        40,
        ProgressReport.State.DRAFT,
        "จัดทำ Infographic ผลการตรวจสอบภายในแล้ว อยู่ระหว่างเตรียมกิจกรรม KM Sharing",
    ),
)


def _questions(assessment: Assessment | None, codes: list[str]) -> list[Question]:
    if assessment is None:
        return []
    return list(Question.objects.filter(version=assessment.version, code__in=codes))


def _units(agency: Agency, data: dict) -> dict[str, Unit]:
    """Return the plan's owner units by code, creating any the agency lacks."""
    needed = {code for m in data["measures"] for a in m["activities"] for code in a["units"]}
    rows = {row["code"]: row for row in data["units"]}
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    for code in sorted(needed - units.keys()):
        row = rows[code]
        units[code] = Unit.objects.create(
            agency=agency,
            code=code,
            name_th=row["name_th"],
            name_en=row["name_en"],
            parent=units.get(row["parent"]) if row["parent"] else None,
        )
    return units


@transaction.atomic
def load(stdout) -> None:
    """Create or update OIE's 2564 plan from measures/data/oie2564_plan.json."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    agency = Agency.objects.get(code=data["agency"])
    assessment = (
        Assessment.objects.official()
        .filter(agency=agency, fiscal_year=data["based_on_year"])
        .select_related("version")
        .first()
    )
    units = _units(agency, data)
    plan, _ = Plan.objects.update_or_create(
        agency=agency,
        fiscal_year=data["fiscal_year"],
        defaults={
            "title_th": data["title_th"],
            "title_en": data["title_en"],
            "based_on": assessment,
            "is_published": True,
        },
    )
    if plan.published_at is None:
        plan.published_at = timezone.now()
        plan.save(update_fields=["published_at"])
    for number, (row, defaults) in enumerate(
        zip(data["rounds"], default_rounds(plan.fiscal_year), strict=True), start=1
    ):
        Round.objects.update_or_create(
            plan=plan,
            number=number,
            defaults={
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "period_start": dt.date.fromisoformat(row["start"]),
                "period_end": dt.date.fromisoformat(row["end"]),
                "opens_on": defaults["opens_on"],
                "due_on": defaults["due_on"],
            },
        )
    activities: dict[str, Activity] = {}
    for m in data["measures"]:
        measure, _ = Measure.objects.update_or_create(
            plan=plan,
            number=m["number"],
            defaults={
                "title_th": m["title_th"],
                "title_en": m["title_en"],
                "rationale_th": m["rationale_th"],
                "indicators": m["indicators"],
            },
        )
        measure.questions.set(_questions(assessment, m["questions"]))
        for a in m["activities"]:
            activity, _ = Activity.objects.update_or_create(
                measure=measure,
                number=a["number"],
                defaults={
                    "title_th": a["title_th"],
                    "title_en": a["title_en"],
                    "lead_unit": units[a["lead_unit"]],
                    "deadline": dt.date.fromisoformat(a["deadline"]),
                    "cadence": a["reporting"],
                },
            )
            activity.units.set([units[code] for code in a["units"]])
            activity.questions.set(_questions(assessment, a["questions"]))
            for order, step in enumerate(a["steps"], start=1):
                Step.objects.update_or_create(
                    activity=activity,
                    order=order,
                    defaults={"text_th": step["text_th"], "text_en": step["text_en"]},
                )
            activity.steps.filter(order__gt=len(a["steps"])).delete()
            activities[activity.number] = activity
    _demo_reports(plan, activities)
    stdout.write(
        f"Plan {agency.code} {plan.fiscal_year}: {plan.measures.count()} measures, "
        f"{len(activities)} activities, {plan.rounds.count()} rounds; published"
    )


def _demo_reports(plan: Plan, activities: dict[str, Activity]) -> None:
    first_round = plan.rounds.get(number=1)
    staff = User.objects.filter(username="staff").first()
    manager = User.objects.filter(username="manager").first()
    submitted_at = timezone.make_aware(dt.datetime(2021, 4, 5, 10, 0))
    reviewed_at = timezone.make_aware(dt.datetime(2021, 4, 9, 14, 0))
    for number, status, percent, state, results in DEMO_REPORTS:
        activity = activities[number]
        if ProgressReport.objects.filter(activity=activity, round=first_round).exists():
            continue  # keep whatever users have done to the demo reports since
        submitted = state != ProgressReport.State.DRAFT
        reviewed = state == ProgressReport.State.APPROVED
        report = ProgressReport.objects.create(
            activity=activity,
            round=first_round,
            status=status,
            percent=percent,
            results=results,
            obstacles="" if reviewed else "ช่วงสถานการณ์โควิด-19 ทำให้ต้องปรับกิจกรรมเป็นออนไลน์",
            next_steps="" if reviewed else "ดำเนินการตามขั้นตอนที่เหลือให้แล้วเสร็จในรอบ 12 เดือน",
            state=state,
            submitted_by=staff if submitted else None,
            submitted_at=submitted_at if submitted else None,
            reviewed_by=manager if reviewed else None,
            reviewed_at=reviewed_at if reviewed else None,
        )
        steps = list(activity.steps.all())
        report.steps_done.set(steps if status == ProgressReport.Status.DONE else steps[:1])

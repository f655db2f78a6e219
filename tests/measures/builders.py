"""Builders for measures tests: a small plan of the personas' agency with rounds open today."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Agency, Unit
from ita_portal.thai import to_ad
from measures.models import Activity, Measure, Plan, ProgressReport, Round, Step
from measures.services import default_rounds

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_plan(agency: Agency, year: int = 2564, **fields) -> Plan:
    defaults = {"title_th": f"มาตรการ ปี {year}", "title_en": f"Measures {year}"}
    defaults.update(fields)
    return Plan.objects.create(agency=agency, fiscal_year=year, **defaults)


def make_round(plan: Plan, number: int = 1, *, locked: bool = False, **fields) -> Round:
    """A round with the usual dates of the plan's fiscal year: open, so reports can be written."""
    usual = default_rounds(plan.fiscal_year)
    defaults = (
        usual[number - 1] if number <= len(usual) else {**usual[-1], "name_th": f"รอบ {number}"}
    )
    defaults = {**defaults, "locked_at": timezone.now() if locked else None}
    defaults.pop("number")
    defaults.update(fields)
    return Round.objects.create(plan=plan, number=number, **defaults)


def make_measure(plan: Plan, number: int = 1, **fields) -> Measure:
    defaults = {"title_th": f"มาตรการที่ {number}", "indicators": [3]}
    defaults.update(fields)
    return Measure.objects.create(plan=plan, number=number, **defaults)


def make_activity(
    measure: Measure, number: str, lead_unit: Unit, units=(), steps: int = 2, **fields
) -> Activity:
    defaults = {
        "title_th": f"กิจกรรม {number}",
        # As the seed's activities: due at the end of the six-month round (มี.ค.) of the plan's year.
        "deadline": dt.date(to_ad(measure.plan.fiscal_year), 3, 31),
    }
    defaults.update(fields)
    activity = Activity.objects.create(
        measure=measure, number=number, lead_unit=lead_unit, **defaults
    )
    activity.units.set({lead_unit, *units})
    for order in range(1, steps + 1):
        Step.objects.create(activity=activity, order=order, text_th=f"ขั้นตอนที่ {order}")
    return activity


def make_report(activity: Activity, round_: Round, **fields) -> ProgressReport:
    defaults = {"status": ProgressReport.Status.IN_PROGRESS, "percent": 50, "results": "เริ่มแล้ว"}
    defaults.update(fields)
    return ProgressReport.objects.create(activity=activity, round=round_, **defaults)


def pdf_upload(name: str = "หลักฐาน.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class PlanWorld:
    """A plan of the personas' agency: activity 1.1 of กพบ. (staff), 1.2 of ตสน. (other_staff)."""

    def __init__(self, p, *, locked: bool = False, year: int = 2564) -> None:
        self.plan = make_plan(p.agency, year)
        self.round = make_round(self.plan, locked=locked)
        self.measure = make_measure(self.plan)
        self.activity = make_activity(self.measure, "1.1", p.unit)
        self.other_activity = make_activity(self.measure, "1.2", p.other_unit)


def grow(world, personas, activities: int) -> None:
    """Add measures and activities until the plan holds `activities`, with reports."""
    count = 2
    number = 2
    while count < activities:
        measure = make_measure(world.plan, number)
        for index in range(1, min(10, activities - count) + 1):
            activity = make_activity(
                measure, f"{number}.{index}", personas.unit, [personas.other_unit]
            )
            if index % 2:
                make_report(activity, world.round, state="approved")
            count += 1
        number += 1

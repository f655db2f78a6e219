"""Demo data: what the seed's measures document says that the portal held nowhere else.

Its foreword, the suggestions of section 2, the approach per weakness of section 4 and the
issuing unit, from reports/data/oie2564_document.json (the file names its source).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from assessments.models import Question
from measures.models import Measure, Plan
from reports.models import DocumentSettings, DocumentText, WeaknessApproach

DATA = Path(__file__).resolve().parent / "data" / "oie2564_document.json"


@transaction.atomic
def load(stdout) -> None:
    """Create or update the demo plan's document texts, approaches and settings."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    plan = Plan.objects.filter(agency__code=data["agency"], fiscal_year=data["plan_year"]).first()
    if plan is None or plan.based_on_id is None:
        return
    settings = data["settings"]
    DocumentSettings.objects.update_or_create(
        plan=plan,
        defaults={
            "issuing_unit": settings["issuing_unit"],
            "issued_on": dt.date.fromisoformat(settings["issued_on"]),
        },
    )
    for key, text in data["texts"].items():
        # Keep what users have edited since; the demo only fills what is missing.
        DocumentText.objects.get_or_create(plan=plan, key=key, defaults={"text": text})
    version_id = plan.based_on.version_id
    for row in data["approaches"]:
        WeaknessApproach.objects.get_or_create(
            measure=Measure.objects.get(plan=plan, number=row["measure"]),
            question=Question.objects.get(version_id=version_id, code=row["question"]),
            defaults={"approach": row["approach"], "responsible": row["responsible"]},
        )
    stdout.write(
        f"Measures document {plan.agency.code} {plan.fiscal_year}: "
        f"{len(data['texts'])} texts, {len(data['approaches'])} approaches"
    )

"""Plain-data report contexts for template tests: the shapes reports.builders returns."""

import datetime as dt
import io
import re
import subprocess
import tempfile
from decimal import Decimal as D

from django.core.management import call_command
from django.test import TestCase, override_settings

from assessments.models import Assessment
from measures.models import Plan
from tests.base import Personas
from tests.snapshots import Snapshot

AGENCY = {
    "code": "oie",
    "name_th": "สำนักงานเศรษฐกิจอุตสาหกรรม",
    "name_en": "Office of Industrial Economics",
    "abbreviation": "สศอ.",
    "ministry": "กระทรวงอุตสาหกรรม",
}
BANDS = [("AA", D("95")), ("A", D("85")), ("B", D("75")), ("C", D("65")), ("F", D("0"))]


def summary_data(**overrides) -> dict:
    """An executive-summary context like OIE 2563's, small enough to read."""
    data = {
        "agency": AGENCY,
        "fiscal_year": 2563,
        "pass_mark": D("85.00"),
        "total": D("91.50"),
        "grade": "A",
        "published": True,
        "grade_published": True,
        "passed": True,
        "computed_total": D("91.50"),
        "total_check": {
            "kind": "agrees",
            "computed": D("91.50"),
            "difference": D("0.00"),
            "difference_abs": D("0.00"),
            "direction": "same",
        },
        "rank": 22,
        "rank_of": 146,
        "ministry_rank": 4,
        "ministry_rank_of": 7,
        "previous": {
            "fiscal_year": 2562,
            "total": D("86.61"),
            "grade": "A",
            "change": D("4.89"),
            "change_abs": D("4.89"),
            "direction": "up",
        },
        "highest": {"number": 10, "name_th": "การป้องกันการทุจริต", "name_en": "", "score": D(100)},
        "lowest": {
            "number": 4,
            "name_th": "การใช้ทรัพย์สินของราชการ",
            "name_en": "",
            "score": D("80.75"),
        },
        "instruments": [
            {
                "code": "IIT",
                "name_th": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
                "name_en": "Internal",
                "weight_percent": 30,
                "score": D("83.81"),
                "reported": D("83.81"),
                "mismatch": False,
                "weighted": D("25.14"),
                "indicator_count": 1,
                "question_count": 6,
                "indicators": [
                    {
                        "number": 4,
                        "name_th": "การใช้ทรัพย์สินของราชการ",
                        "name_en": "Use of public property",
                        "question_count": 6,
                        "score": D("80.75"),
                        "reported": D("80.75"),
                        "mismatch": False,
                        "below": True,
                    }
                ],
            }
        ],
        "weight_percent_total": 100,
        "instrument_scores_known": True,
        "weak_count": 1,
        "weak_questions": [
            {
                "code": "I14",
                "text_th": "ข้อความ",
                "text_en": "",
                "score": D("66.02"),
                "instrument_code": "IIT",
                "indicator_number": 3,
                "indicator_name_th": "การใช้อำนาจ",
                "indicator_name_en": "",
                "rise_to_pass": D("18.98"),
                "indicator_score": D("80.81"),
                "indicator_rise": D("25.11"),
                "indicator_rise_to": D("91.13"),
                "measures": [{"number": 1, "plan_year": 2564}],
            }
        ],
        "weak_by_instrument": [{"code": "IIT", "count": 1, "codes": ["I14"]}],
        "lowest_question": {"code": "I14", "score": D("66.02")},
        "known_question_count": 22,
        "question_count": 45,
        "history": [
            {"fiscal_year": 2562, "total": D("86.61"), "grade": "A", "rank": 94, "rank_of": None},
            {"fiscal_year": 2563, "total": D("91.50"), "grade": "A", "rank": 22, "rank_of": 146},
        ],
        "trend": [(2562, D("86.61")), (2563, D("91.50"))],
        "bands": BANDS,
        "plan": {
            "fiscal_year": 2564,
            "title_th": "มาตรการส่งเสริมคุณธรรม",
            "title_en": "",
            "measures": [
                {
                    "number": 1,
                    "title_th": "มาตรการบริหารบุคลากรอย่างโปร่งใส",
                    "title_en": "",
                    "questions": ["I14"],
                    "activities": [
                        {
                            "number": "1.1",
                            "title_th": "กิจกรรม",
                            "title_en": "",
                            "questions": ["I14"],
                            "units": ["กบท."],
                            "lead_unit": "กบท.",
                            "deadline": dt.date(2021, 3, 31),
                            "latest": None,
                        }
                    ],
                }
            ],
        },
        "discrepancies": [],
        "rounding_notes": [],
        "self_assessment": None,
        "generated_on": dt.date(2021, 4, 1),
    }
    data.update(overrides)
    return data


def progress_data(**overrides) -> dict:
    """A six-month progress context with one activity."""
    data = {
        "agency": AGENCY,
        "plan": {"fiscal_year": 2564, "title_th": "มาตรการ", "title_en": ""},
        "round": {
            "number": 1,
            "name_th": "รอบ 6 เดือน",
            "name_en": "Six-month round",
            "period_start": dt.date(2020, 10, 1),
            "period_end": dt.date(2021, 3, 31),
            "due_on": dt.date(2021, 4, 15),
            "is_locked": False,
        },
        "activity_count": 1,
        "mean_percent": D("50.00"),
        "counts": [{"status": "in_progress", "label": "กำลังดำเนินการ", "count": 1}],
        "measures": [
            {
                "number": 1,
                "title_th": "มาตรการบริหารบุคลากรอย่างโปร่งใส",
                "title_en": "",
                "activities": [
                    {
                        "number": "1.1",
                        "title_th": "กิจกรรม",
                        "title_en": "",
                        "units": ["กบท."],
                        "lead_unit": "กบท.",
                        "deadline": dt.date(2021, 3, 31),
                        "status": "in_progress",
                        "status_label": "กำลังดำเนินการ",
                        "percent": 50,
                        "steps_done": 1,
                        "step_count": 3,
                        "results": "จัดประชุมแล้ว",
                        "obstacles": "",
                        "next_steps": "",
                        "state": "approved",
                        "state_label": "อนุมัติแล้ว",
                        "evidence": [{"name": "minutes.pdf", "url": "", "is_link": False}],
                    }
                ],
            }
        ],
        "generated_on": dt.date(2021, 4, 1),
    }
    data.update(overrides)
    return data


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _personas_and_demo() -> None:
    Personas()
    call_command("load_demo", "--force", stdout=io.StringIO())


# The personas and the demo data are loaded by the first demo class and copied into the later
# ones (tests/snapshots.py): load_demo costs seconds, the copy a few hundredths.
DEMO = Snapshot(_personas_and_demo)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class DemoTestCase(TestCase):
    """The personas, then the seed's demo data on top: OIE 2559–2563 results and the 2564 plan."""

    @classmethod
    def setUpTestData(cls) -> None:
        DEMO.apply()
        cls.p = Personas.existing()
        cls.assessment = Assessment.objects.select_related("agency", "version").get(
            agency__code="oie", fiscal_year=2563
        )
        cls.plan = Plan.objects.select_related("agency").get(agency__code="oie", fiscal_year=2564)
        cls.round = cls.plan.rounds.get(number=1)


def add_later_year(agency_code: str = "oie", year: int = 2564, total: str = "93.33") -> Assessment:
    """Enter the next year's result (its instrument copied from 2563) after the seed's 2563."""
    from accounts.models import Agency
    from assessments.models import InstrumentVersion
    from assessments.services import assessment_upsert, instrument_version_copy

    source = InstrumentVersion.objects.get(fiscal_year=2563)
    if not InstrumentVersion.objects.filter(fiscal_year=year).exists():
        instrument_version_copy(source=source, fiscal_year=year, name_th=f"ITA {year}")
    return assessment_upsert(
        agency=Agency.objects.get(code=agency_code),
        fiscal_year=year,
        values={"reported_total": D(total), "reported_grade": "A"},
    )


def publish_a_different_total(assessment: Assessment) -> None:
    """Make NACC's published 92.36 stand against 92.71 computed from the scores (issue 11)."""
    from assessments.services import assessment_scores_set, assessment_upsert

    # Indicators 4 and 5 raised: 91.4982 + 0.06 * (19.25 + 0.95) = 92.7102, shown 92.71; IIT is
    # then 87.85.
    assessment_scores_set(
        assessment=assessment,
        indicators={4: D("100.00"), 5: D("84.36")},
        instruments={"IIT": D("87.85")},
    )
    assessment_upsert(
        agency=assessment.agency,
        fiscal_year=assessment.fiscal_year,
        values={"reported_total": D("92.36"), "reported_grade": "A"},
    )
    assessment.refresh_from_db()


# Latin words a Thai page may show: instrument and grade codes, file formats, and words the
# demo's users typed themselves.
NOT_ENGLISH = {"ITA", "IIT", "EIT", "OIT", "AA", "PDF", "xlsx", "Infographic", "KM", "Sharing"}
NOT_ENGLISH |= {"Word"}  # the file format's name, as Thai users say it (ดาวน์โหลด Word)


def english_words(html: str) -> list[str]:
    """Return the English words in a page's main content (its text, markup aside)."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])
    text = re.sub(r"[\w.+-]+@[\w.-]+", " ", text)  # e-mail addresses are data, not English
    words = re.findall(r"[A-Za-z][A-Za-z0-9'-]*", text)
    codes = re.compile(r"[A-F]|[A-Z]+\d+")  # grades, question codes (I14, O3)
    return [w for w in words if w not in NOT_ENGLISH and not codes.fullmatch(w)]


def pdf_text(data: bytes) -> str:
    """Return a PDF's text as pdftotext reads it (-raw: in reading order)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(
            ["pdftotext", "-raw", f.name, "-"], capture_output=True, check=True, text=True
        ).stdout

"""Builders for survey tests: a small instrument version with answer scales, and rounds on it.

No source publishes NACC's answer points (domain.md §8), so the test version's points are
those of a Suan Dusit form (0/33/67/100, yes/no 0/100), marked unverified with that source.
Its IIT asks two indicators: I1, I2 (negative: reversed) / I3 (yes or no), I4 (two sub-items,
the second negative); its EIT one indicator: E1, E2.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from accounts.models import Agency, Unit, User
from assessments.instruments import (
    AnswerOption,
    AnswerScale,
    GradeBand,
    Indicator,
    Instrument,
    InstrumentVersion,
    Question,
    SubIndicator,
    SubItem,
)
from surveys import services
from surveys.models import SurveyRound

YEAR = 2570
SOURCE = "Suan Dusit form points (0/33/67/100; yes/no 0/100), test data: not NACC's"
L4 = [("น้อยที่สุดหรือไม่มีเลย", 0), ("น้อย", 33), ("มาก", 67), ("มากที่สุด", 100)]
YES_NO = [("ใช่", 100), ("ไม่ใช่", 0)]
# Points of each (item, option) as a respondent's choice scores them (reversed items mirrored).
POINTS = {
    "I1": {"1": 0, "2": 33, "3": 67, "4": 100},
    "I2": {"1": 100, "2": 67, "3": 33, "4": 0},
    "I3": {"1": 100, "2": 0},
    "I4.1": {"1": 0, "2": 33, "3": 67, "4": 100},
    "I4.2": {"1": 100, "2": 67, "3": 33, "4": 0},
    "E1": {"1": 0, "2": 33, "3": 67, "4": 100},
    "E2": {"1": 100, "2": 0},
}
INSTRUMENTS = [
    ("IIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน", "0.30"),
    ("EIT", "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก", "0.30"),
    ("OIT", "แบบตรวจการเปิดเผยข้อมูลสาธารณะ", "0.40"),
]
BANDS = [("AA", "95"), ("A", "85"), ("B", "75"), ("C", "65"), ("D", "55"), ("E", "50"), ("F", "0")]


def _scale(version: InstrumentVersion, code: str, kind: str, options) -> AnswerScale:
    scale = AnswerScale.objects.create(
        version=version, code=code, kind=kind, name_th=code, source=SOURCE
    )
    for order, (label, points) in enumerate(options, start=1):
        AnswerOption.objects.create(
            scale=scale, order=order, label_th=label, points=Decimal(points), source=SOURCE
        )
    return scale


def survey_version(year: int = YEAR, *, scales: bool = True) -> InstrumentVersion:
    """The small test version (with or without answer scales) of a fiscal year."""
    version = InstrumentVersion.objects.create(fiscal_year=year, name_th=f"ทดสอบ {year}")
    for grade, lower in BANDS:
        GradeBand.objects.create(version=version, grade=grade, lower=Decimal(lower))
    iit, eit, oit = (
        Instrument.objects.create(
            version=version, code=code, name_th=name, weight=Decimal(weight), order=order
        )
        for order, (code, name, weight) in enumerate(INSTRUMENTS, start=1)
    )
    l4 = _scale(version, "L4", AnswerScale.Kind.LEVELS, L4) if scales else None
    yn = _scale(version, "YN", AnswerScale.Kind.YES_NO, YES_NO) if scales else None

    def indicator(instrument, number, name):
        return Indicator.objects.create(
            version=version, instrument=instrument, number=number, name_th=name, order=number
        )

    def question(ind, code, text, scale, order, reversed_=False):
        return Question.objects.create(
            version=version,
            indicator=ind,
            code=code,
            text_th=text,
            scale=scale,
            reversed=reversed_,
            order=order,
        )

    one = indicator(iit, 1, "การปฏิบัติหน้าที่")
    question(one, "I1", "บุคลากรปฏิบัติงานตามหน้าที่อย่างเต็มที่", l4, 1)
    question(one, "I2", "บุคลากรเลือกปฏิบัติกับผู้มาติดต่อ", l4, 2, reversed_=True)
    two = indicator(iit, 2, "การใช้งบประมาณ")
    question(two, "I3", "หน่วยงานเปิดเผยแผนการใช้จ่ายงบประมาณ", yn, 3)
    i4 = question(two, "I4", "การใช้จ่ายงบประมาณของหน่วยงาน", l4, 4)
    SubItem.objects.create(question=i4, code="I4.1", text_th="คุ้มค่า", order=1)
    SubItem.objects.create(
        question=i4, code="I4.2", text_th="เอื้อประโยชน์แก่พวกพ้อง", order=2, reversed=True
    )
    six = indicator(eit, 6, "คุณภาพการดำเนินงาน")
    question(six, "E1", "เจ้าหน้าที่ให้บริการอย่างโปร่งใส", l4, 5)
    question(six, "E2", "ท่านได้รับบริการตามขั้นตอนที่ประกาศ", yn, 6)
    nine = indicator(oit, 9, "การเปิดเผยข้อมูล")
    basic = SubIndicator.objects.create(indicator=nine, key="9.1", name_th="ข้อมูลพื้นฐาน")
    Question.objects.create(
        version=version,
        indicator=nine,
        sub_indicator=basic,
        code="O1",
        kind=Question.Kind.ITEM,
        text_th="โครงสร้าง",
        order=7,
    )
    return version


def open_round(
    agency: Agency,
    units: list[tuple[Unit, int]],
    *,
    code: str = "IIT",
    access: str = SurveyRound.Access.LINK,
    version: InstrumentVersion | None = None,
    runner: User | None = None,
) -> SurveyRound:
    """An open round of the agency on the test version, today within its dates."""
    version = version or InstrumentVersion.objects.filter(fiscal_year=YEAR).first()
    version = version or survey_version()
    today = timezone.localdate()
    survey = services.round_create(
        agency=agency,
        instrument=version.instruments.get(code=code),
        opens_on=today,
        closes_on=today + timezone.timedelta(days=6),
        access=access,
        run_by=runner,
    )
    for unit, population in units:
        services.round_unit_set(survey=survey, unit=unit, population=population)
    return services.round_open(survey=survey)


def hand_scores(answer_sets: list[dict[str, str]], code: str = "IIT") -> dict[str, Decimal]:
    """Score answer sets by hand from POINTS (means of means), rounded half up to cents."""
    from decimal import ROUND_HALF_UP

    def mean(values):
        values = list(values)
        return sum(values, Decimal(0)) / len(values)

    def item(key):
        return mean(Decimal(POINTS[key][a[key]]) for a in answer_sets)

    cent = Decimal("0.01")

    def rounded(value):
        return value.quantize(cent, rounding=ROUND_HALF_UP)

    # Every mean from unrounded figures; each figure rounded once, at the end.
    if code == "IIT":
        questions = {
            "I1": item("I1"),
            "I2": item("I2"),
            "I3": item("I3"),
            "I4": mean([item("I4.1"), item("I4.2")]),
        }
        indicators = {
            "1": mean([questions["I1"], questions["I2"]]),
            "2": mean([questions["I3"], questions["I4"]]),
        }
    else:
        questions = {"E1": item("E1"), "E2": item("E2")}
        indicators = {"6": mean(questions.values())}
    total = mean(indicators.values())
    figures = {**questions, **indicators, code: total}
    return {key: rounded(value) for key, value in figures.items()}

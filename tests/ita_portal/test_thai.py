import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ita_portal import thai


@pytest.mark.parametrize(("ad", "be"), [(2020, 2563), (2021, 2564), (1957, 2500)])
def test_it_converts_between_eras(ad, be):
    assert thai.to_be(ad) == be
    assert thai.to_ad(be) == ad


@pytest.mark.parametrize(
    ("day", "fiscal"),
    [
        (dt.date(2020, 9, 30), 2563),
        (dt.date(2020, 10, 1), 2564),
        (dt.date(2020, 10, 15), 2564),
        (dt.date(2021, 3, 31), 2564),
        (dt.date(2021, 9, 30), 2564),
        (dt.date(2021, 10, 1), 2565),
        (dt.date(2021, 1, 1), 2564),
    ],
)
def test_it_finds_the_fiscal_year_of_a_date(day, fiscal):
    assert thai.fiscal_year(day) == fiscal


def test_it_gives_fiscal_year_bounds():
    assert thai.fiscal_year_bounds(2564) == (dt.date(2020, 10, 1), dt.date(2021, 9, 30))


def test_it_writes_thai_digits_and_reads_them_back():
    assert thai.thai_digits("91.50") == "๙๑.๕๐"
    assert thai.thai_digits(2564) == "๒๕๖๔"
    assert thai.arabic_digits("๙๑.๕๐") == "91.50"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("91.4982"), "91.50"),
        (Decimal("83.814"), "83.81"),
        (Decimal("0.005"), "0.01"),
        (Decimal("100"), "100.00"),
        (80.745, "80.75"),
        (None, ""),
    ],
)
def test_it_formats_scores_half_up(value, shown):
    assert thai.format_score(value) == shown


@pytest.mark.parametrize(
    ("month", "short", "long"),
    [
        (1, "ม.ค.", "มกราคม"),
        (2, "ก.พ.", "กุมภาพันธ์"),
        (3, "มี.ค.", "มีนาคม"),
        (4, "เม.ย.", "เมษายน"),
        (5, "พ.ค.", "พฤษภาคม"),
        (6, "มิ.ย.", "มิถุนายน"),
        (7, "ก.ค.", "กรกฎาคม"),
        (8, "ส.ค.", "สิงหาคม"),
        (9, "ก.ย.", "กันยายน"),
        (10, "ต.ค.", "ตุลาคม"),
        (11, "พ.ย.", "พฤศจิกายน"),
        (12, "ธ.ค.", "ธันวาคม"),
    ],
)
def test_it_names_thai_months(month, short, long):
    day = dt.date(2021, month, 1)
    assert thai.thai_date(day) == f"1 {short} 2564"
    assert thai.thai_date(day, style="long") == f"1 {long} 2564"


def test_it_formats_english_dates_with_buddhist_years():
    assert thai.thai_date(dt.date(2021, 3, 31), lang="en") == "31 Mar 2564"


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_template_filters_follow_the_active_language():
    day = dt.date(2021, 3, 31)
    with translation.override("th"):
        assert render("{{ d|thai_date }}", d=day) == "31 มี.ค. 2564"
        assert render("{{ d|thai_date:'long' }}", d=day) == "31 มีนาคม 2564"
    with translation.override("en"):
        assert render("{{ d|thai_date }}", d=day) == "31 Mar 2564"


def test_template_filters_cover_years_digits_scores_and_fiscal_years():
    assert render("{{ y|be_year }}", y=2020) == "2563"
    assert render("{{ d|be_year }}", d=dt.date(2020, 5, 1)) == "2563"
    assert render("{{ s|score }}", s=Decimal("91.4982")) == "91.50"
    assert render("{{ s|score }}", s=None) == "–"
    assert render("{{ s|score|thai_digits }}", s=Decimal("91.5")) == "๙๑.๕๐"
    assert render("{{ d|fiscal_year }}", d=dt.date(2020, 10, 15)) == "2564"
    assert render("{{ d|fiscal_year }}", d=dt.date(2020, 9, 30)) == "2563"


# --- Properties (Hypothesis) ----------------------------------------------------------------------

ARABIC = "0123456789"
THAI = "๐๑๒๓๔๕๖๗๘๙"
no_thai_digits = st.text().filter(lambda s: not set(s) & set(THAI))
no_arabic_digits = st.text().filter(lambda s: not set(s) & set(ARABIC))


@given(text=no_thai_digits)
def test_thai_digits_come_back_as_the_same_text(text):
    assert thai.arabic_digits(thai.thai_digits(text)) == text


@given(text=no_arabic_digits)
def test_arabic_digits_come_back_as_the_same_text(text):
    assert thai.thai_digits(thai.arabic_digits(text)) == text


@given(text=st.text())
def test_only_digits_change_and_one_for_one(text):
    written = thai.thai_digits(text)
    assert len(written) == len(text)
    assert not set(written) & set(ARABIC)
    for before, after in zip(text, written, strict=True):
        assert after == (THAI[ARABIC.index(before)] if before in ARABIC else before)


@given(value=st.decimals(min_value=0, max_value=100, places=2))
def test_a_score_written_in_thai_digits_reads_back_as_the_same_decimal(value):
    shown = thai.thai_digits(thai.format_score(value))
    assert Decimal(thai.arabic_digits(shown)) == value

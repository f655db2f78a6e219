import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from ita_portal.forms import BuddhistDateField, BuddhistDateInput, format_be, parse_be
from ita_portal.thai import thai_digits


class DeadlineForm(forms.Form):
    deadline = BuddhistDateField(label="กำหนดเสร็จ")


def error_code(text: str) -> str:
    with pytest.raises(ValidationError) as error:
        parse_be(text)
    return error.value.code


def test_it_round_trips_every_day_of_three_fiscal_years():
    day = dt.date(2019, 10, 1)
    while day <= dt.date(2022, 9, 30):
        assert parse_be(format_be(day)) == day
        assert parse_be(thai_digits(format_be(day))) == day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    "text",
    [
        "31/03/2564",
        "31/3/2564",
        "๓๑/๐๓/๒๕๖๔",
        "31-03-2564",
        "31.03.2564",
        " 31 / 03 / 2564 ",
        "31/03/64",
        "31 มี.ค. 2564",
        "31 มีค 2564",
        "๓๑ มี.ค. ๖๔",
        "31 มีนาคม 2564",
    ],
)
def test_it_reads_the_ways_thai_officials_write_a_date(text):
    assert parse_be(text) == dt.date(2021, 3, 31)


@pytest.mark.parametrize(
    ("text", "day"),
    [("30/09/2564", dt.date(2021, 9, 30)), ("01/10/2564", dt.date(2021, 10, 1))],
)
def test_it_reads_the_days_either_side_of_a_fiscal_year_boundary(text, day):
    assert parse_be(text) == day


def test_it_shows_a_date_with_its_buddhist_era_year():
    assert format_be(dt.date(2021, 3, 31)) == "31/03/2564"
    form = DeadlineForm(initial={"deadline": dt.date(2020, 10, 1)})
    assert 'value="01/10/2563"' in str(form["deadline"])


def test_it_shows_a_refused_value_as_typed():
    form = DeadlineForm({"deadline": "31/03/2021"})
    assert not form.is_valid()
    assert 'value="31/03/2021"' in str(form["deadline"])


def test_it_is_a_text_input_that_says_its_pattern():
    with translation.override("th"):
        html = str(DeadlineForm()["deadline"])
        assert 'type="text"' in html and 'placeholder="วว/ดด/ปปปป (พ.ศ.)"' in html
        assert "31/03/2564" in str(DeadlineForm()["deadline"].help_text)
    assert isinstance(DeadlineForm().fields["deadline"].widget, BuddhistDateInput)


def test_it_refuses_a_christian_era_year_and_says_what_to_type():
    form = DeadlineForm({"deadline": "31/03/2021"})
    with translation.override("th"):
        assert not form.is_valid()
        assert form.errors["deadline"] == [
            "ปี 2021 ดูเป็นปีคริสต์ศักราช (ค.ศ.): กรอกปีพุทธศักราช (พ.ศ.) เช่น 31/03/2564"
        ]
    assert form.errors.as_data()["deadline"][0].code == "christian_era"


@pytest.mark.parametrize("text", ["31/03/3109", "31/03/2399", "31/03/2701", "31/03/0064"])
def test_it_refuses_an_implausible_year(text):
    assert error_code(text) == "implausible_year"


@pytest.mark.parametrize("text", ["30/02/2564", "32/01/2564", "29/02/2564", "31/04/2564"])
def test_it_refuses_a_day_not_in_the_calendar(text):
    assert error_code(text) == "no_such_day"


def test_it_accepts_29_february_of_a_leap_year():
    assert parse_be("29/02/2563") == dt.date(2020, 2, 29)


@pytest.mark.parametrize("text", ["2021-03-31", "31/03", "tomorrow", "31 Mar 2564", "31/03/256"])
def test_it_refuses_what_is_not_a_day_first_date(text):
    assert error_code(text) == "invalid"


def test_it_leaves_an_optional_date_empty():
    class Optional(forms.Form):
        day = BuddhistDateField(required=False)

    form = Optional({"day": ""})
    assert form.is_valid() and form.cleaned_data["day"] is None

"""Form fields every app shares: a date field that shows and takes Buddhist-Era years.

Thai officials write dates day first with the Buddhist-Era year (31/03/2564, ๓๑/๐๓/๒๕๖๔,
31 มี.ค. 64). A browser's date input speaks the Christian Era, so 2566 typed there was stored as
the year 2566 CE and shown as 3109. This field is a plain text input that works without
JavaScript: it shows dd/mm/yyyy in B.E., reads Thai or Arabic digits, a two-digit year (64 means
2564) and Thai month names, and refuses a year that reads as Christian-Era or is implausible, with
a message that says what to type instead.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ita_portal.thai import BE_OFFSET, MONTHS_TH_LONG, MONTHS_TH_SHORT, arabic_digits, to_ad

# Buddhist-Era years a plan, a round or a deadline can plausibly have (1857–2157 CE).
PLAUSIBLE_BE_YEARS = range(2400, 2701)
# Years that read as Christian-Era: refused with the Buddhist-Era year to type instead.
CHRISTIAN_ERA_YEARS = range(1900, 2300)

_MONTHS = {
    **{name.replace(".", ""): number for number, name in enumerate(MONTHS_TH_SHORT, start=1)},
    **{name: number for number, name in enumerate(MONTHS_TH_LONG, start=1)},
}
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s*([^\d\s]+)\s*(\d{2}|\d{4})")


def format_be(day: dt.date) -> str:
    """Write a date as the field shows it: 31/03/2564."""
    return f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"


def parse_be(text: str) -> dt.date:
    """Read a day-first Buddhist-Era date; raise ValidationError (with a code) if it is not one."""
    raw = " ".join(arabic_digits(text).split())
    match = _NUMERIC.fullmatch(raw)
    if match:
        day, month, year = (int(part) for part in match.groups())
        two_digits = len(match.group(3)) == 2
    else:
        match = _WORDS.fullmatch(raw)
        month = _MONTHS.get(match.group(2).replace(".", "")) if match else None
        if month is None:
            raise ValidationError(
                _("Enter the date as day/month/year in the Buddhist Era, e.g. 31/03/2564."),
                code="invalid",
            )
        day, year = int(match.group(1)), int(match.group(3))
        two_digits = len(match.group(3)) == 2
    if two_digits:
        year += 2500  # ๖๔ in มี.ค. ๖๔ is 2564
    if year in CHRISTIAN_ERA_YEARS:
        raise ValidationError(
            _(
                "The year %(year)s looks like a Christian-Era year: enter the Buddhist-Era year, "
                "e.g. %(example)s."
            ),
            code="christian_era",
            params={"year": year, "example": f"{day:02d}/{month:02d}/{year + BE_OFFSET}"},
        )
    if year not in PLAUSIBLE_BE_YEARS:
        raise ValidationError(
            _("The year %(year)s B.E. is not plausible: enter a year from %(low)s to %(high)s."),
            code="implausible_year",
            params={"year": year, "low": PLAUSIBLE_BE_YEARS[0], "high": PLAUSIBLE_BE_YEARS[-1]},
        )
    try:
        return dt.date(to_ad(year), month, day)
    except ValueError:
        raise ValidationError(
            _("%(day)s/%(month)s/%(year)s is not a date of the calendar."),
            code="no_such_day",
            params={"day": day, "month": month, "year": year},
        ) from None


class BuddhistDateInput(forms.TextInput):
    """A text input showing dd/mm/yyyy in the Buddhist Era; no browser date picker, no script."""

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "placeholder": _("dd/mm/yyyy (B.E.)"),
            "inputmode": "text",
            "autocomplete": "off",
            "size": 12,
            "data-be-date": "",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value) -> str | None:
        if isinstance(value, dt.date):
            return format_be(value)
        return super().format_value(value)


class BuddhistDateField(forms.DateField):
    """A date typed day first with the Buddhist-Era year: 31/03/2564, ๓๑/๐๓/๒๕๖๔, 31 มี.ค. 64."""

    widget = BuddhistDateInput

    def __init__(self, **kwargs) -> None:
        if not kwargs.get("help_text"):  # a model field passes its own, often empty
            kwargs["help_text"] = _("Day/month/year in the Buddhist Era, e.g. 31/03/2564.")
        super().__init__(**kwargs)

    def to_python(self, value) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return parse_be(str(value))

"""Thai calendar and number conventions: Buddhist-Era years, fiscal years, Thai digits.

Pure functions, no Django imports, so scoring, reports and templates share one definition.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

BE_OFFSET = 543
FISCAL_YEAR_START_MONTH = 10

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_TH_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_EN_SHORT = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def to_be(ad_year: int) -> int:
    """Convert a Common-Era year to the Buddhist Era."""
    return ad_year + BE_OFFSET


def to_ad(be_year: int) -> int:
    """Convert a Buddhist-Era year to the Common Era."""
    return be_year - BE_OFFSET


def fiscal_year(day: dt.date) -> int:
    """Return the Thai fiscal year (B.E.) a date falls in; it starts on 1 October."""
    ad = day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year
    return to_be(ad)


def fiscal_year_bounds(be_year: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a fiscal year given in B.E."""
    ad = to_ad(be_year)
    return dt.date(ad - 1, 10, 1), dt.date(ad, 9, 30)


def thai_digits(value: object) -> str:
    """Write every Arabic digit of value's text in Thai digits."""
    return str(value).translate(_THAI_DIGITS)


def arabic_digits(value: str) -> str:
    """Write every Thai digit of value in Arabic digits (for parsing user input)."""
    return value.translate(_ARABIC_DIGITS)


def format_score(value: Decimal | float | int | None, places: int = 2) -> str:
    """Format a score with fixed decimals, rounding half up; empty for None."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def thai_date(day: dt.date, *, style: str = "short", lang: str = "th") -> str:
    """Format a date the Thai way: 31 มี.ค. 2564 (short), 31 มีนาคม 2564 (long), or in English."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if lang == "th":
        month = (MONTHS_TH_LONG if style == "long" else MONTHS_TH_SHORT)[day.month - 1]
    else:
        month = MONTHS_EN_SHORT[day.month - 1]
    return f"{day.day} {month} {to_be(day.year)}"

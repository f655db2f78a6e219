"""Clean a workbook cell into the value an import stores, or say why it cannot be."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from imports.format import normalise
from ita_portal.thai import arabic_digits

# Cells that a spreadsheet program would run as a formula; exports prefix them with a quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")

CENT = Decimal("0.01")
# A number the import reads: written with at most this many characters, and below 10^16 (no
# count or score comes near; 1e1000000 would cost a minute to turn into an integer).
MAX_NUMBER_CHARS = 40
MAX_EXPONENT = 15
MIN_YEAR, MAX_YEAR = 2500, 2700

TRUE_WORDS = frozenset({"1", "yes", "y", "true", "มี", "ใช่", "ผ่าน", "✓"})
FALSE_WORDS = frozenset({"0", "no", "n", "false", "ไม่มี", "ไม่ใช่", "ไม่ผ่าน", "✗"})


# --- Cell cleaning --------------------------------------------------------------------------------


class CellError(ValueError):
    def __init__(self, code: str, template: Any, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.template = template
        self.params = params


def unescape(text: str) -> str:
    """Drop the quote an export put before text a spreadsheet would run as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def escape(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with a quote (exports)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def clean_text(value: Any) -> str:
    """Return a cell as stripped text; numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape(str(value).strip())


def clean_decimal(value: Any) -> Decimal:
    """Read a number, a number stored as text or written in Thai digits; refuse a huge one."""
    if isinstance(value, bool):
        raise CellError("not_a_number", _("“%(value)s” is not a number."), value=value)
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # repr gives the shortest text that round-trips, so 91.76 stays 91.76.
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = arabic_digits(unescape(value)).replace("\u00a0", "").replace(" ", "").strip()
        if len(text) > MAX_NUMBER_CHARS:
            raise CellError(
                "long_number",
                _(
                    "the number is written with %(chars)s characters; a number has at most "
                    "%(limit)s."
                ),
                chars=f"{len(text):,}",
                limit=MAX_NUMBER_CHARS,
            )
        if text.startswith("#"):
            raise CellError(
                "formula_error", _("the formula's result is the error %(value)s."), value=text
            )
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(
                "not_a_number", _("“%(value)s” is not a number."), value=_shown(value)
            ) from None
    else:
        raise CellError("not_a_number", _("“%(value)s” is not a number."), value=_shown(value))
    if not number.is_finite():
        raise CellError("not_a_number", _("“%(value)s” is not a number."), value=_shown(value))
    if number and number.adjusted() > MAX_EXPONENT:
        raise CellError(
            "huge_number",
            _("“%(value)s” is far too big for a score, count or year (at most 16 digits)."),
            value=_shown(value),
        )
    return number


def clean_score(value: Any) -> Decimal:
    """Read a score between 0 and 100, rounded half up to two decimals."""
    number = clean_decimal(value)
    if number < 0 or number > 100:
        raise CellError(
            "out_of_range", _("%(value)s is outside 0–100."), value=_shown(number.normalize())
        )
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def clean_count(value: Any) -> int:
    """Read a whole number of zero or more (ranks, respondents, population)."""
    number = clean_decimal(value)
    if number != number.to_integral_value() or number < 0:
        raise CellError(
            "not_a_count", _("“%(value)s” is not a whole number of 0 or more."), value=_shown(value)
        )
    return int(number)


def clean_year(value: Any) -> int:
    """Read a Buddhist-Era fiscal year such as 2563."""
    try:
        year = clean_count(value)
    except CellError:
        year = None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(
            "bad_year",
            _("“%(value)s” is not a Buddhist-Era fiscal year such as 2563."),
            value=_shown(value),
        )
    return year


def clean_indicator(value: Any) -> int:
    """Read an indicator number such as 1 or ๑."""
    try:
        return clean_count(value)
    except CellError:
        raise CellError(
            "bad_indicator", _("“%(value)s” is not an indicator number."), value=_shown(value)
        ) from None


def clean_code(value: Any) -> str:
    """Read a question or item code such as I14 or O1, in capitals without spaces."""
    return arabic_digits(clean_text(value)).replace(" ", "").upper()


def clean_agency(value: Any) -> str:
    """Read an agency code (a slug, compared in lower case)."""
    return clean_text(value).lower()


def clean_bool(value: Any) -> bool:
    """Read yes or no: 1/0, TRUE/FALSE, yes/no, มี/ไม่มี."""
    if isinstance(value, bool):
        return value
    word = normalise(clean_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        "not_yes_no", _("“%(value)s” is not yes or no (1/0, มี/ไม่มี)."), value=_shown(value)
    )


def clean_grade(value: Any) -> str:
    """Read a level as written: a code (AA, in capitals) or a published label (ผ่านดีเยี่ยม)."""
    return clean_text(value).upper()


CLEANERS = {
    "year": clean_year,
    "agency": clean_agency,
    "code": clean_code,
    "indicator": clean_indicator,
    "score": clean_score,
    "count": clean_count,
    "bool": clean_bool,
    "text": clean_text,
    "grade": clean_grade,
}

"""Template filters for Thai conventions; loaded as a builtin, so every template has them."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from ita_portal import thai

register = template.Library()


@register.filter
def be_year(value: int | dt.date | None) -> str:
    """Show a Common-Era year, or a date's year, in the Buddhist Era."""
    if value in (None, ""):
        return ""
    year = value.year if isinstance(value, dt.date) else int(value)
    return str(thai.to_be(year))


@register.filter
def thai_date(value: dt.date | None, style: str = "short") -> str:
    """Show a date as 31 มี.ค. 2564 (Thai) or 31 Mar 2564 (English UI); years stay B.E."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    lang = "en" if (get_language() or "th").startswith("en") else "th"
    return thai.thai_date(value, style=style, lang=lang)


@register.filter
def thai_datetime(value: dt.datetime | None) -> str:
    """Show a moment as its Thai date and local time (HH:MM)."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{thai_date(local)} {local:%H:%M}"


@register.filter
def thai_digits(value: object) -> str:
    """Write a value's digits in Thai digits (๙๑.๕๐), as official documents do."""
    if value is None:
        return ""
    return thai.thai_digits(value)


@register.filter
def score(value: object, places: int = 2) -> str:
    """Show a score with two decimals (ROUND_HALF_UP); a dash when unknown."""
    if value in (None, ""):
        return "–"
    try:
        return thai.format_score(Decimal(str(value)), int(places))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def fiscal_year(value: dt.date | None) -> str:
    """Show the B.E. fiscal year a date falls in (15 Oct 2020 → 2564)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return str(thai.fiscal_year(value))

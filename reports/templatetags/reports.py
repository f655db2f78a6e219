"""Template helpers shared by the HTML and PDF reports: optional Thai digits and the SVG charts."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ita_portal import thai
from reports import charts

register = template.Library()


# Left as written in Thai-digit reports: links, and codes that start with a Latin letter (the
# question codes I14 and O3, a file name like minutes2.pdf).
KEEP_AS_WRITTEN = re.compile(r"https?://\S+|www\.\S+|[A-Za-z][A-Za-z0-9_./-]*\d[A-Za-z0-9_./-]*")


@register.filter(is_safe=True)
def digits(value: object, style: str = "") -> str:
    """Write a value's digits in Thai when the report was asked for Thai digits.

    Question codes (I14), other Latin codes and links keep their digits, so that a whole
    sentence or a user's text can go through the filter.
    """
    if value is None:
        return ""
    text = str(value)
    if style != "thai":
        return text
    pieces, start = [], 0
    for match in KEEP_AS_WRITTEN.finditer(text):
        pieces += [thai.thai_digits(text[start : match.start()]), match.group()]
        start = match.end()
    # is_safe: an escaped template block stays safe, since digits never make markup.
    return "".join([*pieces, thai.thai_digits(text[start:])])


def localized(row: object, field: str) -> str:
    """Return row's field_en in the English UI when it is filled, else its field_th."""

    def get(name: str) -> str:
        return (row.get(name) if isinstance(row, dict) else getattr(row, name, "")) or ""

    if (get_language() or "th").startswith("en") and get(f"{field}_en"):
        return get(f"{field}_en")
    return get(f"{field}_th")


register.filter("local", localized)


@register.simple_tag
def trend_chart(points: list, bands: list, pass_mark=None, style: str = "") -> SafeString:
    """Draw totals by fiscal year, [(year, total)], over grade bands [(grade, lower)]."""
    svg = charts.trend_chart(
        points,
        bands,
        title=_("ITA totals by fiscal year"),
        pass_mark=pass_mark,
        pass_label=_("pass mark"),
        thai=style == "thai",
    )
    # charts escapes every text it draws; the SVG references nothing outside itself.
    return mark_safe(svg)  # noqa: S308


@register.simple_tag
def indicator_chart(summary: dict, style: str = "") -> SafeString:
    """Draw the indicator scores against the pass mark."""
    bars = [
        (f"{digits(row['number'], style)} {localized(row, 'name')}", row["score"])
        for instrument in summary["instruments"]
        for row in instrument["indicators"]
    ]
    svg = charts.indicator_chart(
        bars,
        pass_mark=summary["pass_mark"],
        title=_("Indicator scores against the pass mark"),
        pass_label=_("pass mark"),
        thai=style == "thai",
    )
    return mark_safe(svg)  # noqa: S308

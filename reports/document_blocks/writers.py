"""The kinds of block and their writers: one block (heading, paragraph, list, table), one figure
or date in the document's style, a saved text as blocks, and the last pass that fills the
contents and writes every digit in the style asked for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from ita_portal import thai
from reports.templatetags.reports import digits, localized

HEADING, PARA, BULLETS, TABLE, TOC, BREAK, SIGN, COVER, MEMO = (
    "heading", "para", "bullets", "table", "toc", "break", "sign", "cover", "memo",
)  # fmt: skip
SIDE = {"IIT": "internal", "EIT": "external"}


def score(value: Decimal | None) -> str:
    """A score with two decimals, a dash when unknown."""
    return "–" if value is None else thai.format_score(value)


def long_date(day: dt.date | None) -> str:
    """A date written in full, as official documents do: 31 มีนาคม 2564."""
    if day is None:
        return ""
    return thai.thai_date(day, style="long", lang=_lang())


def month_year(day: dt.date | None) -> str:
    """The month and year of a date in full: มีนาคม 2564."""
    return long_date(day).split(" ", 1)[1] if day else ""


def short_deadline(day: dt.date) -> str:
    """A deadline as the plans write it: มี.ค. 64."""
    if _lang() == "en":
        return thai.thai_date(day, lang="en").split(" ", 1)[1]
    return f"{thai.MONTHS_TH_SHORT[day.month - 1]} {thai.to_be(day.year) % 100:02d}"


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "th").startswith("en") else "th"


def heading(level: int, text: str, *, toc: bool = True, anchor: str = "") -> dict:
    return {"t": HEADING, "level": level, "text": text, "toc": toc, "id": anchor}


def para(text: str, *, indent: bool = True, align: str = "justify", bold: bool = False) -> dict:
    return {"t": PARA, "text": text, "indent": indent, "align": align, "bold": bold}


def bullets(items: list[str]) -> dict:
    return {"t": BULLETS, "items": [i for i in items if i]}


def table(caption: str, head: list[str], rows: list, widths: list[int], numeric=()) -> dict:
    """A table; a row is a list of cells, or {"group": text} (a full-width group row), or
    {"total": [cells]} (a bold row). A cell holding a list is written as one line per item."""

    def lines(cells: list) -> list[list[str]]:
        return [cell if isinstance(cell, list) else [cell] for cell in cells]

    total = sum(widths)
    return {
        "t": TABLE,
        "caption": caption,
        "head": head,
        "rows": [
            row
            if "group" in row
            else {"total": lines(row["total"])}
            if isinstance(row, dict)
            else lines(row)
            for row in rows
        ],
        "widths": [round(100 * w / total, 1) for w in widths],
        "numeric": list(numeric),
    }


def written(text: str) -> list[dict]:
    """Blocks of a saved text: paragraphs at blank lines, "- " lines as list items."""
    blocks: list[dict] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        items = [line[1:].strip() for line in lines if line.startswith(("-", "•"))]
        plain = [line for line in lines if not line.startswith(("-", "•"))]
        if plain:
            blocks.append(para(" ".join(plain)))
        if items:
            blocks.append(bullets(items))
    return blocks


def narrative(data: dict, key: str, draft: str) -> list[dict]:
    """The saved text of a narrative when there is one, else the draft."""
    saved = data["texts"].get(key, "")
    return written(saved if saved.strip() else draft)


def agency_name(data: dict) -> str:
    return localized(data["agency"], "name")


def abbr(data: dict) -> str:
    return data["agency"]["abbreviation"] or agency_name(data)


def and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": " ".join(items[:-1]), "last": items[-1]}


def numbered(items: list[str]) -> str:
    return " ".join(f"{n}) {item}" for n, item in enumerate(items, start=1))


def _convert(value, style: str):
    if isinstance(value, str):
        return digits(value, style)
    if isinstance(value, list):
        return [_convert(v, style) for v in value]
    if isinstance(value, tuple):
        return tuple(_convert(v, style) for v in value)
    if isinstance(value, dict):
        return {
            k: v
            if k in ("t", "id", "level", "widths", "numeric", "front", "body")
            else _convert(v, style)
            for k, v in value.items()
        }
    return value


def with_digits(blocks: list[dict], style: str) -> list[dict]:
    """Write every figure of the blocks in Thai digits when asked; add the contents' entries."""
    toc = [
        {"level": b["level"], "text": b["text"], "id": b["id"]}
        for b in blocks
        if b["t"] == HEADING and b["toc"]
    ]
    blocks = [{**b, "entries": toc} if b["t"] == TOC else b for b in blocks]
    return _convert(blocks, style) if style == "thai" else blocks

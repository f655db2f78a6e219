"""The frame every document shares: the cover memo, the cover and the signature."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports.document_blocks.writers import (
    BREAK,
    COVER,
    MEMO,
    SIGN,
    abbr,
    agency_name,
    long_date,
    month_year,
)


def signature(data: dict) -> dict:
    s = data["settings"]
    lines = [
        s["signer_name"] and f"({s['signer_name']})",
        s["signer_position"],
        s["issuing_unit"] or agency_name(data),
        month_year(s["issued_on"]),
    ]
    return {"t": SIGN, "lines": [line for line in lines if line]}


def cover(data: dict, title: str, subtitle: str, *, front: bool = False) -> dict:
    """The cover; front says a paged front matter (ก, ข, …) follows before the body."""
    return {
        "t": COVER,
        "front": front,
        "title": title,
        "lines": [
            f"{agency_name(data)} ({abbr(data)})"
            if data["agency"]["abbreviation"]
            else agency_name(data),
            data["agency"]["ministry"],
            subtitle,
        ],
    }


def memo(data: dict, subject: str) -> list[dict]:
    s = data["settings"]
    if not s["memo"]:
        return []
    return [
        {
            "t": MEMO,
            "title": _("Memorandum"),
            "rows": [
                (_("Government agency"), s["issuing_unit"] or agency_name(data)),
                (pgettext("memo", "Ref."), s["memo_reference"]),
                (_("Date"), long_date(s["issued_on"])),
                (_("Subject"), subject),
                (_("To"), s["memo_to"]),
            ],
            "body": [
                _("%(unit)s has prepared the %(subject)s, attached, built from the portal's data.")
                % {"unit": s["issuing_unit"] or agency_name(data), "subject": subject},
                _("Submitted for your consideration and approval."),
            ],
            "sign": [
                line
                for line in (s["signer_name"] and f"({s['signer_name']})", s["signer_position"])
                if line
            ],
        },
        {"t": BREAK},
    ]

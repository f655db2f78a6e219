"""The measures document of a plan: its front matter, then sections 1 to 5 (the analysis,
the suggestions, the weak points, the approaches and the measures with their activities).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports.document_blocks.analysis import analysis
from reports.document_blocks.drafts import (
    draft_for,
    draft_foreword,
    draft_summary,
    weak_sentence,
)
from reports.document_blocks.frame import cover, memo, signature
from reports.document_blocks.writers import (
    BREAK,
    SIDE,
    TOC,
    abbr,
    agency_name,
    bullets,
    heading,
    narrative,
    para,
    score,
    short_deadline,
    table,
    with_digits,
)
from reports.templatetags.reports import localized


def _suggestions(data: dict) -> list[dict]:
    none = _("No suggestion has been entered.")

    def text(key: str) -> list[dict]:
        found = narrative(data, key, draft_for(data, key))
        return found or [para(none)]

    return [
        heading(1, _("2. Suggestions"), anchor="s2"),
        heading(2, _("2.1 Further suggestions"), anchor="s2-1"),
        heading(3, _("2.1.1 Suggestions from the internal stakeholders (IIT)"), anchor="s2-1-1"),
        *text("suggestions_internal"),
        heading(3, _("2.1.2 Suggestions from the external stakeholders (EIT)"), anchor="s2-1-2"),
        *text("suggestions_external"),
        heading(2, _("2.2 Suggestions from NACC"), anchor="s2-2"),
        *text("suggestions_nacc"),
    ]


def _weaknesses(data: dict, r: dict) -> list[dict]:
    agency = agency_name(data)
    rows = [
        [
            f"{n}{'*' if q['chosen'] else ''}",
            localized(q, "indicator_name"),
            q["instrument_code"],
            q["code"],
            localized(q, "text"),
            score(q["score"]),
        ]
        for n, q in enumerate(r["weak_questions"], start=1)
    ]
    return [
        heading(
            1,
            _("3. Shortcomings and weak points of %(agency)s to improve") % {"agency": agency},
            anchor="s3",
        ),
        para(weak_sentence(r)),
        bullets([_("%(count)s questions of %(code)s") % g for g in r["weak_by_instrument"]]),
        para(
            _(
                "They are ordered from the lowest score up to set the measures; * marks a "
                "question a measure answers."
            )
        ),
        table(
            _("Table 2: ITA questions of %(year)s scoring below %(mark)s, lowest first")
            % {"year": r["assessment_year"], "mark": score(r["pass_mark"])},
            [
                _("No."),
                _("Indicator"),
                _("Instrument"),
                _("Question"),
                _("Question text"),
                _("Score"),
            ],
            rows,
            [0.8, 2.6, 1, 1, 4.4, 1.4],
            numeric=[0, 5],
        ),
    ]


def _approaches(data: dict) -> list[dict]:
    rows = [
        [
            _("Internal")
            if SIDE.get(a["instrument_code"]) == "internal"
            else _("External")
            if SIDE.get(a["instrument_code"]) == "external"
            else a["instrument_code"],
            localized(a, "indicator_name"),
            f"{n}) {localized(a, 'text')}",
            [
                line.strip().lstrip("-•").strip()
                for line in a["approach"].splitlines()
                if line.strip()
            ],
            a["responsible"],
        ]
        for n, a in enumerate(data["approaches"], start=1)
    ]
    blocks = [
        heading(
            1,
            _(
                "4. Putting the analysis into practice to promote integrity and "
                "transparency within %(agency)s"
            )
            % {"agency": agency_name(data)},
            anchor="s4",
        ),
        para(
            _(
                "%(agency)s grouped the questions below the pass mark into weak points it can "
                "improve:"
            )
            % {"agency": abbr(data)}
        ),
    ]
    if rows:
        blocks.append(
            table(
                "",
                [
                    _("Assessed by"),
                    _("Indicator"),
                    _("Weak point"),
                    _("Approach"),
                    _("Responsible units"),
                ],
                rows,
                [1.4, 1.7, 2.9, 4.1, 1.9],
            )
        )
    else:
        blocks.append(para(_("No approach has been entered.")))
    return blocks


def cadence_label(cadence: str) -> str:
    return {
        "six_monthly": _("6 months"),
        "quarterly": _("3 months"),
        "monthly": _("monthly"),
    }.get(cadence, cadence)


def _measures(data: dict) -> list[dict]:
    blocks = [
        heading(
            1,
            _(
                "5. Measures promoting integrity and transparency within %(agency)s, "
                "fiscal year %(year)s"
            )
            % {"agency": agency_name(data), "year": data["plan_year"]},
            anchor="s5",
        ),
        para(
            _(
                "%(count)s measures for fiscal year %(year)s: %(list)s. The owners of each "
                "activity report its progress, achievements and obstacles to the executives, or "
                "the unit they name, within the set time."
            )
            % {
                "count": len(data["measures"]),
                "year": data["plan_year"],
                "list": " ".join(
                    f"({m['number']}) {localized(m, 'title')}" for m in data["measures"]
                ),
            }
        ),
    ]
    for m in data["measures"]:
        blocks.append(heading(2, f"({m['number']}) {localized(m, 'title')}", toc=False))
        rows = [
            [
                f"{a['number']} {localized(a, 'title')}",
                [localized(s, "text") for s in a["steps"]],
                "/ ".join(a["owners"]),
                short_deadline(a["deadline"]),
                cadence_label(a["cadence"]),
            ]
            for a in m["activities"]
        ]
        blocks.append(
            table(
                "",
                [
                    _("Activity"),
                    _("Steps"),
                    _("Responsible"),
                    pgettext("measures document", "Due"),
                    _("Reporting"),
                ],
                rows,
                [2.4, 4.8, 1.8, 1.3, 1.3],
            )
        )
    return blocks


def measures_document(data: dict, style: str = "") -> list[dict]:
    """The whole measures document of a plan, section by section as the agencies write it."""
    r = data["result"]
    year = data["plan_year"]
    title = _("Measures to promote integrity and transparency within the agency")
    blocks = memo(data, localized(data, "title"))
    blocks.append(cover(data, title, _("Fiscal year %(year)s") % {"year": year}, front=True))
    blocks += [
        heading(1, _("Foreword"), toc=False, anchor="foreword"),
        *narrative(data, "foreword", draft_foreword(data)),
        signature(data),
        {"t": BREAK, "front": True},
    ]
    blocks += [
        heading(1, _("Executive summary"), anchor="summary"),
        para(localized(data, "title"), indent=False, align="center", bold=True),
        *narrative(data, "summary", draft_summary(data)),
        {"t": BREAK},
        heading(1, _("Contents"), toc=False, anchor="contents"),
        {"t": TOC},
        {"t": BREAK, "body": True},
    ]
    if r:
        blocks += analysis(data, r)
    blocks += _suggestions(data)
    if r:
        blocks += _weaknesses(data, r)
    blocks += _approaches(data)
    blocks += _measures(data)
    blocks.append(signature(data))
    return with_digits(blocks, style)

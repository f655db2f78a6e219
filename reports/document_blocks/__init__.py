"""The measures document and its two reports as a list of blocks: headings, paragraphs, lists,
tables, the contents, page breaks and the signature.

Both renderers walk the same blocks (reports/pdf/document.html through WeasyPrint, and
reports.docx with python-docx), so the PDF and the Word file never say different things. Blocks
are plain dicts; every text in them has its digits written once, here, in the style asked for
(Thai digits: every figure, table number and date). Pure: no queries, no Django models.

Narratives the agency may edit (the foreword, the summary, each indicator's analysis, the
suggestions) come from its saved text when there is one, else from the draft written here.
Saved texts use a small plain-text convention: a blank line starts a paragraph, a line starting
with "- " is a list item.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ita_portal import thai
from reports.templatetags.reports import digits, localized

HEADING, PARA, BULLETS, TABLE, TOC, BREAK, SIGN, COVER, MEMO = (
    "heading", "para", "bullets", "table", "toc", "break", "sign", "cover", "memo",
)  # fmt: skip
SIDE = {"IIT": "internal", "EIT": "external"}


# --- small writers -----------------------------------------------------------------------------


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


def _agency_name(data: dict) -> str:
    return localized(data["agency"], "name")


def _abbr(data: dict) -> str:
    return data["agency"]["abbreviation"] or _agency_name(data)


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": " ".join(items[:-1]), "last": items[-1]}


def _numbered(items: list[str]) -> str:
    return " ".join(f"{n}) {item}" for n, item in enumerate(items, start=1))


# --- drafts of the narratives ------------------------------------------------------------------


def draft_foreword(data: dict) -> str:
    r = data["result"]
    year = r["assessment_year"] if r else data["plan_year"] - 1
    return _(
        "%(agency)s gives importance to running its work with integrity and transparency, as an "
        "important means of preventing corruption. It analysed the result of its Integrity and "
        "Transparency Assessment (ITA) of fiscal year %(year)s, its shortcomings and the weak "
        "points to improve, and set them out as the “%(title)s”."
    ) % {"agency": _agency_name(data), "year": year, "title": localized(data, "title")}


def draft_summary(data: dict) -> str:
    r = data["result"]
    lines = []
    if r and r["total"] is not None:
        text = _("%(agency)s analysed its ITA result of %(year)s: a total of %(total)s") % {
            "agency": _agency_name(data),
            "year": r["assessment_year"],
            "total": score(r["total"]),
        }
        if r["previous"]:
            text += " " + _("(%(year)s: %(total)s)") % {
                "year": r["previous"]["fiscal_year"],
                "total": score(r["previous"]["total"]),
            }
        text += " " + _("grade %(grade)s.") % {"grade": r["grade"] or "–"}
        if r["rank"]:
            text += " " + _rank_sentence(r)
        if r["highest"]:
            text += " " + _extremes_sentence(r)
        lines.append(text)
        lines.append("")
        lines.append(_weak_sentence(r))
        lines += [
            "- " + _("%(count)s questions of %(code)s") % {"count": g["count"], "code": g["code"]}
            for g in r["weak_by_instrument"]
        ]
        lines.append("")
    lines.append(
        _("From them it set %(count)s measures for fiscal year %(year)s:")
        % {"count": len(data["measures"]), "year": data["plan_year"]}
    )
    lines += [f"- ({m['number']}) {localized(m, 'title')}" for m in data["measures"]]
    return "\n".join(lines)


def _rank_sentence(r: dict) -> str:
    text = _("It ranked %(rank)s of %(of)s agencies.") % {
        "rank": r["rank"],
        "of": r["rank_of"] or "–",
    }
    above = [
        localized(p, "name")
        for p in r["peers"]
        if p["position"]
        and not p["is_home"]
        and p["total"] is not None
        and r["total"] is not None
        and p["total"] > r["total"]
    ]
    if r["ministry_rank"]:
        text += " " + _("Within %(ministry)s it came %(rank)s of %(of)s") % {
            "ministry": r["ministry"] or _("its ministry"),
            "rank": r["ministry_rank"],
            "of": r["ministry_rank_of"] or len(r["peers"]),
        }
        if above:
            text += " " + _("after %(names)s") % {"names": _and_list(above)}
        text += "."
    return text


def _extremes_sentence(r: dict) -> str:
    return _(
        "The highest indicator was %(high)s (%(high_score)s) and the lowest %(low)s "
        "(%(low_score)s)."
    ) % {
        "high": localized(r["highest"], "name"),
        "high_score": score(r["highest"]["score"]),
        "low": localized(r["lowest"], "name"),
        "low_score": score(r["lowest"]["score"]),
    }


def _weak_sentence(r: dict) -> str:
    return _("%(count)s questions scored below %(mark)s; they are the weak points to improve:") % {
        "count": r["weak_count"],
        "mark": score(r["pass_mark"]),
    }


def draft_indicator(row: dict) -> str:
    text = _("%(number)s) %(name)s scored %(score)s in all.") % {
        "number": row["number"],
        "name": localized(row, "name"),
        "score": score(row["score"]),
    }
    if row["highest"]:
        text += " " + _("The highest question was %(code)s %(text)s (%(score)s).") % {
            "code": row["highest"]["code"],
            "text": localized(row["highest"], "text"),
            "score": score(row["highest"]["score"]),
        }
    if row["lowest"]:
        message = (
            _("The lowest question was %(code)s %(text)s (%(score)s).")
            if row["complete"]
            else _(
                "The lowest question of those whose scores are known was %(code)s %(text)s "
                "(%(score)s)."
            )
        )
        text += " " + message % {
            "code": row["lowest"]["code"],
            "text": localized(row["lowest"], "text"),
            "score": score(row["lowest"]["score"]),
        }
    return text


def draft_nacc(data: dict) -> str:
    r = data["result"]
    if not r:
        return ""
    passed = [
        i["code"]
        for i in r["instruments"]
        if i["score"] is not None and i["score"] >= r["pass_mark"]
    ]
    below = [
        i["code"]
        for i in r["instruments"]
        if i["score"] is not None and i["score"] < r["pass_mark"]
    ]
    lines = []
    if passed:
        lines.append(
            _("Instruments at or above the target (%(mark)s): %(codes)s.")
            % {"mark": score(r["pass_mark"]), "codes": _and_list(passed)}
        )
    if below:
        lines.append(
            _("Instruments below the target (%(mark)s): %(codes)s.")
            % {"mark": score(r["pass_mark"]), "codes": _and_list(below)}
        )
    return "\n\n".join(lines)


DRAFTS = {
    "foreword": draft_foreword,
    "summary": draft_summary,
    "suggestions_nacc": draft_nacc,
    "suggestions_internal": lambda data: "",
    "suggestions_external": lambda data: "",
}


def draft_for(data: dict, key: str) -> str:
    """The generated draft of one narrative of the document."""
    if key.startswith("indicator-"):
        number = int(key.split("-", 1)[1])
        rows = (data["result"] or {}).get("narratives", [])
        row = next((r for r in rows if r["number"] == number), None)
        return draft_indicator(row) if row else ""
    return DRAFTS[key](data)


def narrative_keys(data: dict) -> list[str]:
    """Every narrative of the document that the agency may edit, in the document's order."""
    keys = ["foreword", "summary"]
    keys += [f"indicator-{row['number']}" for row in (data["result"] or {}).get("narratives", [])]
    return keys + ["suggestions_internal", "suggestions_external", "suggestions_nacc"]


# --- the measures document ---------------------------------------------------------------------


def _signature(data: dict) -> dict:
    s = data["settings"]
    lines = [
        s["signer_name"] and f"({s['signer_name']})",
        s["signer_position"],
        s["issuing_unit"] or _agency_name(data),
        month_year(s["issued_on"]),
    ]
    return {"t": SIGN, "lines": [line for line in lines if line]}


def _cover(data: dict, title: str, subtitle: str, *, front: bool = False) -> dict:
    """The cover; front says a paged front matter (ก, ข, …) follows before the body."""
    return {
        "t": COVER,
        "front": front,
        "title": title,
        "lines": [
            f"{_agency_name(data)} ({_abbr(data)})"
            if data["agency"]["abbreviation"]
            else _agency_name(data),
            data["agency"]["ministry"],
            subtitle,
        ],
    }


def _memo(data: dict, subject: str) -> list[dict]:
    s = data["settings"]
    if not s["memo"]:
        return []
    return [
        {
            "t": MEMO,
            "title": _("Memorandum"),
            "rows": [
                (_("Government agency"), s["issuing_unit"] or _agency_name(data)),
                (pgettext("memo", "Ref."), s["memo_reference"]),
                (_("Date"), long_date(s["issued_on"])),
                (_("Subject"), subject),
                (_("To"), s["memo_to"]),
            ],
            "body": [
                _("%(unit)s has prepared the %(subject)s, attached, built from the portal's data.")
                % {"unit": s["issuing_unit"] or _agency_name(data), "subject": subject},
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


def _analysis(data: dict, r: dict) -> list[dict]:
    agency, year = _agency_name(data), r["assessment_year"]
    indicators = [ind for i in r["instruments"] for ind in i["indicators"]]
    blocks = [
        heading(
            1,
            _(
                "1. Analysis of the Integrity and Transparency Assessment (ITA) of "
                "%(agency)s, fiscal year %(year)s"
            )
            % {"agency": agency, "year": year},
            anchor="s1",
        ),
        para(
            _(
                "The ITA of fiscal year %(year)s assesses an agency from %(count)s sources: "
                "%(sources)s, in %(n)s indicators: %(indicators)s."
            )
            % {
                "year": year,
                "count": len(r["instruments"]),
                "sources": _numbered(
                    [localized(i, "name") + f" ({i['code']})" for i in r["instruments"]]
                ),
                "n": len(indicators),
                "indicators": _numbered([localized(i, "name") for i in indicators]),
            }
        ),
        heading(2, _("1.1 Population, sample and data collection"), anchor="s1-1"),
    ]
    for instrument in r["instruments"]:
        code = instrument["code"]
        sample = r["sample"].get(code)
        items = [f"{localized(instrument, 'name')} ({code})"]
        if SIDE.get(code) == "internal":
            items.append(
                _(
                    "Population: the agency's personnel, from executives to employees, who "
                    "have worked for it for at least one year."
                )
            )
        elif SIDE.get(code) == "external":
            items.append(
                _(
                    "Population: people, companies and other agencies that used the "
                    "agency's services or contacted it during the fiscal year."
                )
            )
        else:
            items.append(_("Collected from the information the agency discloses on its website."))
        if sample:
            items.append(
                _(
                    "Sample: at least 10 per cent of the population and never fewer than "
                    "30; everyone when the population is under 30; at least 100 when it "
                    "is over 1,000."
                )
            )
            if sample["respondents"] is not None and sample["population"] is not None:
                text = _("Respondents: %(respondents)s of %(population)s") % sample
                if sample["required"] is not None:
                    text += " " + _("(at least %(required)s required: %(verdict)s)") % {
                        "required": sample["required"],
                        "verdict": _("enough") if sample["sufficient"] else _("not enough"),
                    }
                items.append(text)
        blocks += [para(items[0], indent=False, bold=True), bullets(items[1:])]
    blocks.append(heading(2, _("1.2 The assessment instruments"), anchor="s1-2"))
    for instrument in r["instruments"]:
        blocks.append(
            bullets(
                [
                    _("%(name)s (%(code)s): %(count)s questions in the indicators %(indicators)s.")
                    % {
                        "name": localized(instrument, "name"),
                        "code": instrument["code"],
                        "count": instrument["question_count"],
                        "indicators": _and_list(
                            [
                                f"{i['number']} {localized(i, 'name')}"
                                for i in instrument["indicators"]
                            ]
                        ),
                    }
                ]
            )
        )
    blocks.append(
        para(_("NACC sets %(count)s grades of the ITA result:") % {"count": len(r["bands"])})
    )
    blocks.append(
        table(
            "",
            [_("Score"), _("Grade")],
            [[f"{score(b['lower'])} - {score(b['upper'])}", b["grade"]] for b in r["bands"]],
            [3, 1],
            numeric=[1],
        )
    )
    blocks.append(
        para(_("The target: %(mark)s points or more (pass).") % {"mark": score(r["pass_mark"])})
    )
    blocks += _result(data, r)
    return blocks


def _result(data: dict, r: dict) -> list[dict]:
    agency = _agency_name(data)
    text = _("The total was %(total)s, grade %(grade)s.") % {
        "total": score(r["total"]),
        "grade": r["grade"] or "–",
    }
    if r["rank"]:
        text += " " + _("It ranked %(rank)s of %(of)s agencies.") % {
            "rank": r["rank"],
            "of": r["rank_of"] or "–",
        }
    blocks = [
        heading(2, _("1.3 ITA result of %(agency)s") % {"agency": agency}, anchor="s1-3"),
        para(text),
    ]
    if r["peers"] and len(r["peers"]) > 1:
        blocks.append(
            para(
                _("Within %(ministry)s, in order: %(list)s")
                % {
                    "ministry": r["ministry"] or _("its ministry"),
                    "list": _numbered(
                        [f"{localized(p, 'name')} {score(p['total'])}" for p in r["peers"]]
                    ),
                }
            )
        )
    if r["highest"]:
        blocks.append(para(_extremes_sentence(r) + " " + _("Details in Table 1.")))
    rows: list = []
    subs = r["sub_indicators"]
    for instrument in r["instruments"]:
        rows.append(
            {
                "group": _("%(name)s (%(code)s), %(count)s questions")
                % {
                    "name": localized(instrument, "name"),
                    "code": instrument["code"],
                    "count": instrument["question_count"],
                }
            }
        )
        for ind in instrument["indicators"]:
            own = [s for s in subs if s["indicator_number"] == ind["number"]]
            count = "" if own else str(ind["question_count"])
            rows.append(
                [
                    _("Indicator %(number)s %(name)s")
                    % {"number": ind["number"], "name": localized(ind, "name")},
                    count,
                    score(ind["score"]),
                ]
            )
            rows += [
                [f"- {localized(s, 'name')}", str(s["item_count"]), score(s["score"])] for s in own
            ]
        rows.append(
            {
                "total": [
                    _("%(code)s score") % {"code": instrument["code"]},
                    "",
                    score(instrument["score"]),
                ]
            }
        )
    blocks.append(
        table(
            _("Table 1: ITA scores by instrument"),
            [_("Indicator"), _("Questions"), _("Score")],
            rows,
            [6, 1, 1.4],
            numeric=[1, 2],
        )
    )
    blocks.append(para(_("Weighted, the scores of %(agency)s are:") % {"agency": _abbr(data)}))
    weighted = [
        [i["code"], str(i["weight_percent"]), score(i["score"]), score(i["weighted"])]
        for i in r["instruments"]
    ]
    weighted.append({"total": [_("Total"), "", "", score(r["total"])]})
    blocks.append(
        table(
            "",
            [_("Instrument"), _("Weight"), _("Score"), _("Weighted score")],
            weighted,
            [2, 1, 1.4, 1.6],
            numeric=[1, 2, 3],
        )
    )
    blocks.append(
        table(
            _("Indicators from the highest score"),
            [_("Rank"), _("Indicator"), _("Score")],
            [
                [str(n), localized(ind, "name"), score(ind["score"])]
                for n, ind in enumerate(r["ranked_indicators"], start=1)
            ],
            [1, 5, 1.4],
            numeric=[0, 2],
        )
    )
    if r["history"]:
        blocks.append(
            table(
                _("ITA results of %(agency)s by year") % {"agency": _abbr(data)},
                [_("Fiscal year"), _("Score"), _("Rank")],
                [
                    [
                        str(h["fiscal_year"]),
                        score(h["total"]),
                        (
                            _("%(rank)s of %(of)s") % {"rank": h["rank"], "of": h["rank_of"]}
                            if h["rank_of"]
                            else str(h["rank"])
                        )
                        if h["rank"]
                        else "–",
                    ]
                    for h in r["history"]
                ],
                [1.5, 1.5, 2],
                numeric=[0, 1, 2],
            )
        )
    for number, instrument in enumerate(r["instruments"], start=1):
        rows_of = [row for row in r["narratives"] if row["instrument_code"] == instrument["code"]]
        blocks.append(
            heading(
                3,
                _("1.3.%(n)s %(name)s (%(code)s), %(count)s questions")
                % {
                    "n": number,
                    "name": localized(instrument, "name"),
                    "code": instrument["code"],
                    "count": instrument["question_count"],
                },
                anchor=f"s1-3-{number}",
            )
        )
        for row in rows_of:
            blocks += narrative(data, f"indicator-{row['number']}", draft_indicator(row))
            own = [s for s in subs if s["indicator_number"] == row["number"]]
            if own and not data["texts"].get(f"indicator-{row['number']}"):
                blocks.append(bullets([f"{localized(s, 'name')} {score(s['score'])}" for s in own]))
    return blocks


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
    agency = _agency_name(data)
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
        para(_weak_sentence(r)),
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
            % {"agency": _agency_name(data)},
            anchor="s4",
        ),
        para(
            _(
                "%(agency)s grouped the questions below the pass mark into weak points it can "
                "improve:"
            )
            % {"agency": _abbr(data)}
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
            % {"agency": _agency_name(data), "year": data["plan_year"]},
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
    blocks = _memo(data, localized(data, "title"))
    blocks.append(_cover(data, title, _("Fiscal year %(year)s") % {"year": year}, front=True))
    blocks += [
        heading(1, _("Foreword"), toc=False, anchor="foreword"),
        *narrative(data, "foreword", draft_foreword(data)),
        _signature(data),
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
        blocks += _analysis(data, r)
    blocks += _suggestions(data)
    if r:
        blocks += _weaknesses(data, r)
    blocks += _approaches(data)
    blocks += _measures(data)
    blocks.append(_signature(data))
    return with_digits(blocks, style)


# --- the twelve-month report and the O25 report ---------------------------------------------


def _progress_rows(m: dict) -> list:
    rows = []
    for a in m["activities"]:
        p = a.get("progress")
        rows.append(
            [
                f"{a['number']} {localized(a, 'title')}",
                "/ ".join(a["owners"]),
                (p["results"] or p["status_label"]) if p else _("No approved report"),
                f"{p['percent']}" if p else "–",
                (p["obstacles"] or "–") if p else "–",
            ]
        )
    return rows


def twelve_month_report(data: dict, style: str = "") -> list[dict]:
    """The report on the measures after the twelve-month round (approved reports only)."""
    rnd = data["round"]
    title = _("Report on the measures to promote integrity and transparency, %(round)s") % {
        "round": localized(rnd, "name")
    }
    blocks = _memo(data, title)
    blocks.append(_cover(data, title, _("Fiscal year %(year)s") % {"year": data["plan_year"]}))
    blocks += [
        heading(1, _("1. Summary"), anchor="r1"),
        para(
            _(
                "%(agency)s carried out %(count)s measures with %(activities)s activities from "
                "%(start)s to %(end)s. %(approved)s activities have an approved report; the mean "
                "progress is %(mean)s per cent."
            )
            % {
                "agency": _agency_name(data),
                "count": len(data["measures"]),
                "activities": data["activity_count"],
                "start": long_date(rnd["period_start"]),
                "end": long_date(rnd["period_end"]),
                "approved": data["approved_count"],
                "mean": score(data["mean_percent"]),
            }
        ),
        heading(1, _("2. Results by measure"), anchor="r2"),
    ]
    for m in data["measures"]:
        blocks.append(heading(2, f"({m['number']}) {localized(m, 'title')}", toc=False))
        blocks.append(
            table(
                "",
                [_("Activity"), _("Responsible"), _("Results"), _("Per cent"), _("Obstacles")],
                _progress_rows(m),
                [2.4, 1.6, 4.4, 1, 2.4],
                numeric=[3],
            )
        )
    blocks.append(_signature(data))
    return with_digits(blocks, style)


def o25_report(data: dict, style: str = "") -> list[dict]:
    """The report on using the ITA result to develop the organisation (item O25 from 2569)."""
    r = data["result"]
    title = _("Using the ITA result to develop the organisation")
    blocks = _memo(data, title)
    blocks.append(_cover(data, title, _("Fiscal year %(year)s") % {"year": data["plan_year"]}))
    if r:
        blocks += [
            heading(
                1, _("1. The ITA result of %(year)s") % {"year": r["assessment_year"]}, anchor="o1"
            ),
            para(
                _("The total was %(total)s, grade %(grade)s.")
                % {"total": score(r["total"]), "grade": r["grade"] or "–"}
            ),
            table(
                "",
                [_("Instrument"), _("Weight"), _("Score"), _("Weighted score")],
                [
                    [i["code"], str(i["weight_percent"]), score(i["score"]), score(i["weighted"])]
                    for i in r["instruments"]
                ]
                + [{"total": [_("Total"), "", "", score(r["total"])]}],
                [2, 1, 1.4, 1.6],
                numeric=[1, 2, 3],
            ),
            heading(1, _("2. Weak points to improve"), anchor="o2"),
            para(_weak_sentence(r)),
            table(
                "",
                [_("Question"), _("Question text"), _("Score")],
                [[q["code"], localized(q, "text"), score(q["score"])] for q in r["weak_questions"]],
                [1, 6, 1.2],
                numeric=[2],
            ),
        ]
    blocks.append(heading(1, _("3. Measures and their progress"), anchor="o3"))
    for m in data["measures"]:
        blocks.append(heading(2, f"({m['number']}) {localized(m, 'title')}", toc=False))
        blocks.append(
            table(
                "",
                [_("Activity"), _("Responsible"), _("Results"), _("Per cent"), _("Obstacles")],
                _progress_rows(m),
                [2.4, 1.6, 4.4, 1, 2.4],
                numeric=[3],
            )
        )
    blocks.append(_signature(data))
    return with_digits(blocks, style)


# --- digits ------------------------------------------------------------------------------------


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

"""Section 1 of the measures document: the analysis of the agency's ITA result (sources,
sample, instruments, grades, the result, its tables and each indicator's analysis).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.document_blocks.drafts import draft_indicator, extremes_sentence
from reports.document_blocks.writers import (
    SIDE,
    abbr,
    agency_name,
    and_list,
    bullets,
    heading,
    narrative,
    numbered,
    para,
    score,
    table,
)
from reports.templatetags.reports import localized


def analysis(data: dict, r: dict) -> list[dict]:
    agency, year = agency_name(data), r["assessment_year"]
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
                "sources": numbered(
                    [localized(i, "name") + f" ({i['code']})" for i in r["instruments"]]
                ),
                "n": len(indicators),
                "indicators": numbered([localized(i, "name") for i in indicators]),
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
                        "indicators": and_list(
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
    agency = agency_name(data)
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
                    "list": numbered(
                        [f"{localized(p, 'name')} {score(p['total'])}" for p in r["peers"]]
                    ),
                }
            )
        )
    if r["highest"]:
        blocks.append(para(extremes_sentence(r) + " " + _("Details in Table 1.")))
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
    blocks.append(para(_("Weighted, the scores of %(agency)s are:") % {"agency": abbr(data)}))
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
                _("ITA results of %(agency)s by year") % {"agency": abbr(data)},
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

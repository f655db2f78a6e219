"""The two reports on a plan's progress: the twelve-month report and the O25 report."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.document_blocks.drafts import weak_sentence
from reports.document_blocks.frame import cover, memo, signature
from reports.document_blocks.writers import (
    agency_name,
    heading,
    long_date,
    para,
    score,
    table,
    with_digits,
)
from reports.templatetags.reports import localized


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


def _progress_tables(data: dict) -> list[dict]:
    """Each measure's heading and the table of its activities' progress."""
    blocks = []
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
    return blocks


def twelve_month_report(data: dict, style: str = "") -> list[dict]:
    """The report on the measures after the twelve-month round (approved reports only)."""
    rnd = data["round"]
    title = _("Report on the measures to promote integrity and transparency, %(round)s") % {
        "round": localized(rnd, "name")
    }
    blocks = memo(data, title)
    blocks.append(cover(data, title, _("Fiscal year %(year)s") % {"year": data["plan_year"]}))
    blocks += [
        heading(1, _("1. Summary"), anchor="r1"),
        para(
            _(
                "%(agency)s carried out %(count)s measures with %(activities)s activities from "
                "%(start)s to %(end)s. %(approved)s activities have an approved report; the mean "
                "progress is %(mean)s per cent."
            )
            % {
                "agency": agency_name(data),
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
    blocks += _progress_tables(data)
    blocks.append(signature(data))
    return with_digits(blocks, style)


def o25_report(data: dict, style: str = "") -> list[dict]:
    """The report on using the ITA result to develop the organisation (item O25 from 2569)."""
    r = data["result"]
    title = _("Using the ITA result to develop the organisation")
    blocks = memo(data, title)
    blocks.append(cover(data, title, _("Fiscal year %(year)s") % {"year": data["plan_year"]}))
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
            para(weak_sentence(r)),
            table(
                "",
                [_("Question"), _("Question text"), _("Score")],
                [[q["code"], localized(q, "text"), score(q["score"])] for q in r["weak_questions"]],
                [1, 6, 1.2],
                numeric=[2],
            ),
        ]
    blocks.append(heading(1, _("3. Measures and their progress"), anchor="o3"))
    blocks += _progress_tables(data)
    blocks.append(signature(data))
    return with_digits(blocks, style)

"""The drafts of the narratives the agency may edit (the foreword, the summary, each indicator's
analysis, the suggestions), written from the document's facts, and the keys of those narratives.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.document_blocks.writers import agency_name, and_list, score
from reports.templatetags.reports import localized


def draft_foreword(data: dict) -> str:
    r = data["result"]
    year = r["assessment_year"] if r else data["plan_year"] - 1
    return _(
        "%(agency)s gives importance to running its work with integrity and transparency, as an "
        "important means of preventing corruption. It analysed the result of its Integrity and "
        "Transparency Assessment (ITA) of fiscal year %(year)s, its shortcomings and the weak "
        "points to improve, and set them out as the “%(title)s”."
    ) % {"agency": agency_name(data), "year": year, "title": localized(data, "title")}


def draft_summary(data: dict) -> str:
    r = data["result"]
    lines = []
    if r and r["total"] is not None:
        text = _("%(agency)s analysed its ITA result of %(year)s: a total of %(total)s") % {
            "agency": agency_name(data),
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
            text += " " + extremes_sentence(r)
        lines.append(text)
        lines.append("")
        lines.append(weak_sentence(r))
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
            text += " " + _("after %(names)s") % {"names": and_list(above)}
        text += "."
    return text


def extremes_sentence(r: dict) -> str:
    return _(
        "The highest indicator was %(high)s (%(high_score)s) and the lowest %(low)s "
        "(%(low_score)s)."
    ) % {
        "high": localized(r["highest"], "name"),
        "high_score": score(r["highest"]["score"]),
        "low": localized(r["lowest"], "name"),
        "low_score": score(r["lowest"]["score"]),
    }


def weak_sentence(r: dict) -> str:
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
            % {"mark": score(r["pass_mark"]), "codes": and_list(passed)}
        )
    if below:
        lines.append(
            _("Instruments below the target (%(mark)s): %(codes)s.")
            % {"mark": score(r["pass_mark"]), "codes": and_list(below)}
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

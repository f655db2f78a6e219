"""The agency's self-assessment beside an official result, on the pages that show one."""

from django import template

from assessments.models import Assessment
from surveys.models import RoundScore

register = template.Library()


@register.inclusion_tag("surveys/_beside_official.html")
def self_assessment_beside(assessment: Assessment, instruments: list[dict]) -> dict:
    """Render the same year's survey scores of the organisation beside the official (one query)."""
    if assessment.kind != Assessment.Kind.OFFICIAL:
        return {"rows": []}
    own = {
        score.key: score
        for score in RoundScore.objects.filter(
            round__agency_id=assessment.agency_id,
            round__instrument__version__fiscal_year=assessment.fiscal_year,
            survey_unit__isnull=True,
            level=RoundScore.Level.INSTRUMENT,
        )
    }
    rows = [
        {
            "code": row["code"],
            "official": row["score"],
            "own": own[row["code"]].score,
            "respondents": own[row["code"]].respondents,
            "difference": None if row["score"] is None else own[row["code"]].score - row["score"],
        }
        for row in instruments
        if row["code"] in own
    ]
    return {"rows": rows, "year": assessment.fiscal_year}


@register.inclusion_tag("surveys/_own_by_year.html")
def self_assessments_by_year(agency) -> dict:
    """Render the agency's own survey scores by year, beside the official history (one query)."""
    years: dict[int, dict[str, RoundScore]] = {}
    for score in (
        RoundScore.objects.filter(
            round__agency_id=agency.pk, survey_unit__isnull=True, level=RoundScore.Level.INSTRUMENT
        )
        .select_related("round__instrument__version")
        .order_by("-round__instrument__version__fiscal_year", "key")
    ):
        years.setdefault(score.round.fiscal_year, {})[score.key] = score
    return {"years": list(years.items())}

"""The measures that answer an assessment's questions, for the assessment pages."""

from collections import defaultdict
from dataclasses import dataclass

from measures.models import Measure


@dataclass(frozen=True)
class MeasureLink:
    pk: int
    number: int
    title_th: str
    title_en: str
    plan_year: int


def measures_by_question(agency_id: int, version_id: int) -> dict[str, list[MeasureLink]]:
    """Map each question code of a version to the agency's measures addressing it (one query)."""
    links: dict[str, list[MeasureLink]] = defaultdict(list)
    rows = (
        Measure.objects.filter(plan__agency_id=agency_id, questions__version_id=version_id)
        .order_by("-plan__fiscal_year", "number")
        .values_list("questions__code", "pk", "number", "title_th", "title_en", "plan__fiscal_year")
    )
    for code, pk, number, title_th, title_en, year in rows:
        links[code].append(MeasureLink(pk, number, title_th, title_en, year))
    return links

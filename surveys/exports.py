"""Downloads of a round: the anonymised answers (one row per response) and per-unit results.

Answers of a unit with fewer respondents than SURVEY_MIN_RESPONDENTS are left out, as its
results are: a handful of rows could be told apart by whoever knows the unit. Text cells that a
spreadsheet would run as a formula are written inert (reports.exports.safe_cell).
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import Workbook

from reports.exports import safe_cell
from surveys.models import Response, SurveyRound, SurveyUnit
from surveys.selectors import round_results, survey_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _answer_rows(survey: SurveyRound) -> tuple[list[str], list[list[object]]]:
    form = survey_form(survey)
    points = form.points
    keys = [item.key for item in form.questionnaire.items]
    entries = {
        e.pk: e
        for e in SurveyUnit.objects.filter(
            round=survey, responses__gte=settings.SURVEY_MIN_RESPONDENTS
        ).select_related("unit")
    }
    headers = [_("No."), _("Unit"), _("Channel"), *keys]
    rows = []
    responses = Response.objects.filter(survey_unit__in=entries.keys()).order_by(
        "survey_unit__unit__code", "id"
    )
    channels = dict(Response.Channel.choices)
    for number, response in enumerate(responses.iterator(chunk_size=500), start=1):
        entry = entries[response.survey_unit_id]
        values = [points.get((key, response.answers.get(key))) for key in keys]
        rows.append([number, entry.unit.code, str(channels[response.channel]), *values])
    return headers, rows


def answers(survey: SurveyRound, fmt: str) -> tuple[bytes, str]:
    """Return the anonymised answers as xlsx or CSV (each cell: the points of the answer)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows = _answer_rows(survey)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([safe_cell(h) for h in headers])
        writer.writerows([safe_cell(v) for v in row] for row in rows)
        return ("\ufeff" + buffer.getvalue()).encode(), CSV
    return _workbook(_("Answers"), headers, rows), XLSX


def results(survey: SurveyRound) -> bytes:
    """Return the per-unit results of a closed round (units under the minimum: not shown)."""
    found = round_results(survey)
    headers = [_("Unit"), _("Respondents"), survey.instrument.code]
    rows: list[list[object]] = []
    if found is not None:
        keys = found.indicator_keys
        headers += [_("Indicator %(number)s") % {"number": key} for key in keys]
        labelled = [(scores.label, scores) for scores in found.units]
        if found.organisation:
            labelled.insert(0, (_("Whole organisation"), found.organisation))
        for label, scores in labelled:
            rows.append(
                [label, scores.respondents, scores.instrument]
                + [scores.indicators.get(key) for key in keys]
            )
        for unit in found.hidden:
            rows.append([str(unit), _("fewer than %(n)s") % {"n": found.minimum}, None])
    return _workbook(_("Results"), headers, rows)


def _workbook(title: str, headers: list[str], rows: list[list[object]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([safe_cell(h) for h in headers])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

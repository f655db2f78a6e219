"""Stored official results: what rankings read instead of scoring every peer on each request.

A `StoredResult` holds an assessment's official total and grade (as published, else as
computed). `stored_results` returns them for any number of assessments, computing and storing
only those missing; every change to what a result is computed from removes the stored rows it
affects, so the next reader computes them again:
- saving or deleting an assessment or one of its scores or OIT answers (the services, the admin,
  the demo loader, cascades) removes that assessment's row (signals, below);
- saving or deleting a row of an instrument version (weights, grade bands, questions...) removes
  the rows of every assessment of that version;
- the score import and its rollback write in bulk, without signals: they call
  `results_forget_batch` for the assessments whose rows the batch wrote.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from assessments.instruments import (
    GradeBand,
    Indicator,
    Instrument,
    InstrumentVersion,
    Question,
    SubIndicator,
)
from assessments.models import (
    Assessment,
    IndicatorScore,
    InstrumentScore,
    ItemAnswer,
    QuestionScore,
    StoredResult,
    SubIndicatorScore,
)

ASSESSMENT_ROWS = (QuestionScore, ItemAnswer, SubIndicatorScore, IndicatorScore, InstrumentScore)
VERSION_ROWS = (Instrument, Indicator, Question, GradeBand)


def results_forget(assessment_ids: Iterable[int]) -> None:
    """Remove the stored results of these assessments (their data changed)."""
    ids = list(assessment_ids)
    if ids:
        StoredResult.objects.filter(assessment_id__in=ids).delete()


def results_forget_version(version_id: int) -> None:
    """Remove the stored results of every assessment of an instrument version."""
    StoredResult.objects.filter(assessment__version_id=version_id).delete()


def results_forget_batch(batch_id: int) -> None:
    """Remove the stored results of the assessments an import batch wrote rows of."""
    touched = Q(assessment__batch_id=batch_id)
    for model in ASSESSMENT_ROWS:
        touched |= Q(assessment__in=model.objects.filter(batch_id=batch_id).values("assessment"))
    StoredResult.objects.filter(touched).delete()


def stored_results(assessments: list[Assessment]) -> dict[int, StoredResult]:
    """Return the stored result of each assessment, computing and storing the missing ones.

    Two queries when all are stored; with some missing, the ten of `assessment_results` for
    those only and one insert. The assessments come with select_related("version").
    """
    stored = StoredResult.objects.in_bulk([a.pk for a in assessments])
    stored.update(results_store([a for a in assessments if a.pk not in stored]))
    return stored


def results_store(assessments: list[Assessment]) -> dict[int, StoredResult]:
    """Compute and store the results of assessments that have none stored; return them.

    Nothing when the list is empty; else the ten queries of `assessment_results` and one insert.
    """
    from assessments.selectors import assessment_results

    if not assessments:
        return {}
    _, results = assessment_results(assessments)
    new = [
        StoredResult(
            assessment_id=a.pk,
            total=results[a.pk][1].total.official,
            grade=results[a.pk][1].official_grade or "",
        )
        for a in assessments
    ]
    # Two readers computing the same result at once store the same values: keep either.
    StoredResult.objects.bulk_create(new, ignore_conflicts=True)
    return {row.assessment_id: row for row in new}


# --- what removes a stored result -----------------------------------------------------------------


# A restore (loaddata, raw=True) writes the stored results with the rows they were computed from.


def _assessment_changed(sender, instance: Assessment, raw: bool = False, **kwargs) -> None:
    if not raw:
        results_forget([instance.pk])


def _assessment_row_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        results_forget([instance.assessment_id])


def _version_changed(sender, instance: InstrumentVersion, raw: bool = False, **kwargs) -> None:
    if not raw:
        results_forget_version(instance.pk)


def _version_row_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        results_forget_version(instance.version_id)


def _sub_indicator_changed(sender, instance: SubIndicator, raw: bool = False, **kwargs) -> None:
    if not raw:
        versions = Indicator.objects.filter(pk=instance.indicator_id).values("version_id")
        StoredResult.objects.filter(assessment__version_id__in=versions).delete()


def connect() -> None:
    """Connect the receivers that remove stored results when their data changes."""
    receivers = [
        (Assessment, _assessment_changed),
        *((model, _assessment_row_changed) for model in ASSESSMENT_ROWS),
        (InstrumentVersion, _version_changed),
        *((model, _version_row_changed) for model in VERSION_ROWS),
        (SubIndicator, _sub_indicator_changed),
    ]
    for model, receiver in receivers:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"stored-result-{model.__name__}")

"""Official progress: the one rule behind every progress figure of the measures plan.

Only approved reports count. An activity's progress is its approved report (in a round, or the
latest approved one over the plan's rounds); averages take an activity without one as 0 %.
Reports submitted and awaiting review are counted as such ("รออนุมัติ") and never averaged in.
Drafts and returned reports are left out: their units and the reviewers read them on the
report's own page, and no report, dashboard or public page prints them. The dashboard, the plan
page, the public page, the progress report (HTML, PDF, xlsx) and the executive summary all
read their figures from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from measures.models import ProgressReport, Round
from measures.selectors.refs import EvidenceRef, evidence_ref

State = ProgressReport.State
Status = ProgressReport.Status

# The states the official figures read; every other state is invisible to them.
COUNTED_STATES = (State.APPROVED, State.SUBMITTED)
AWAITING_APPROVAL = _("Awaiting approval")
NO_APPROVED_REPORT = _("No approved report")


@dataclass(frozen=True)
class Progress:
    """What may be printed of one activity's report in one round."""

    report_pk: int | None
    round_pk: int
    round_number: int
    round_name_th: str
    round_name_en: str
    status: str
    status_label: str
    percent: int
    results: str
    obstacles: str
    next_steps: str
    state: str
    state_label: str
    evidence: list[EvidenceRef] = field(default_factory=list)

    @property
    def is_approved(self) -> bool:
        return self.state == State.APPROVED

    @property
    def is_awaiting_approval(self) -> bool:
        return self.state == State.SUBMITTED


@dataclass(frozen=True)
class Standing:
    """An activity's official standing over a plan's rounds."""

    approved: ProgressReport | None  # its latest approved report
    awaiting_review: int  # its reports submitted and not yet reviewed

    @property
    def percent(self) -> int:
        return self.approved.percent if self.approved else 0

    @property
    def is_done(self) -> bool:
        return self.approved is not None and self.approved.status == Status.DONE


NOT_REPORTED = Standing(None, 0)


def counted(reports: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    """Keep the reports the official figures read: approved ones and those awaiting review."""
    return reports.filter(state__in=COUNTED_STATES)


def official_progress(
    report: ProgressReport | None, round_: Round, *, with_evidence: bool = True
) -> Progress:
    """Return what may be printed of an activity's report in a round.

    An approved report is shown whole; one awaiting review only as "awaiting approval"; a
    draft, a returned report or none at all as no approved report, 0 %.
    """
    head = (round_.pk, round_.number, round_.name_th, round_.name_en)
    if report is not None and report.state == State.APPROVED:
        return Progress(
            report.pk,
            *head,
            report.status,
            report.get_status_display(),
            report.percent,
            report.results,
            report.obstacles,
            report.next_steps,
            report.state,
            report.get_state_display(),
            [evidence_ref(e) for e in report.evidence.all()] if with_evidence else [],
        )
    awaiting = report is not None and report.state == State.SUBMITTED
    return Progress(
        None,
        *head,
        "",
        str(NO_APPROVED_REPORT),
        0,
        "",
        "",
        "",
        State.SUBMITTED if awaiting else "",
        str(AWAITING_APPROVAL) if awaiting else "",
    )


def standings(reports: Iterable[ProgressReport]) -> dict[int, Standing]:
    """Fold counted reports, in round order, into each activity's standing."""
    found: dict[int, Standing] = {}
    for report in reports:
        previous = found.get(report.activity_id, NOT_REPORTED)
        if report.state == State.APPROVED:
            found[report.activity_id] = Standing(report, previous.awaiting_review)
        elif report.state == State.SUBMITTED:
            found[report.activity_id] = Standing(previous.approved, previous.awaiting_review + 1)
    return found


def mean_percent(values: list[int]) -> Decimal:
    """Return the mean of percentages at two places, rounded half up (0.00 for none)."""
    if not values:
        return Decimal("0.00")
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)

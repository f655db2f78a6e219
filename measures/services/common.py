"""What every write of the measures plan shares: validation with history, and row locks.

Who may write is decided before a service is called (ita_portal/access.py); the services
guard the rows' invariants and hold the transactions and locks.
"""

from __future__ import annotations

from accounts.models import User
from measures.models import ProgressReport, Round


def save(instance, user: User | None = None):
    """Validate an instance, then save it with the user its history records."""
    instance.full_clean()
    if user is not None:
        instance._history_user = user
    instance.save()
    return instance


def lock_round(round_id: int) -> Round:
    """Lock a round's row for this transaction and return it as stored now.

    Every write on a round's reports and the round's own lock take this lock first, so a save
    cannot land after a lock it did not see.
    """
    return (
        Round.objects.select_for_update(of=("self",))
        .select_related("plan__agency")
        .get(pk=round_id)
    )


def lock_report(report_id: int) -> ProgressReport:
    """Lock a report's row for this transaction (after its round's) and return it as stored."""
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("round__plan__agency", "activity__measure__plan__agency")
        .get(pk=report_id)
    )

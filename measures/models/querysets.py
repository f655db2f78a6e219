"""The lookups every page of the measures plan starts from: what a user may read.

An agency's plans, activities, reports and evidence belong to it; superusers read every
agency's. What a user may change is decided in ita_portal/access.py on top of these.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q


def _agency_scope(queryset: models.QuerySet, user, path: str) -> models.QuerySet:
    if user.is_superuser:
        return queryset
    if not user.is_authenticated or user.agency_id is None:
        return queryset.none()
    return queryset.filter(**{path: user.agency_id})


class PlanQuerySet(models.QuerySet):
    def for_user(self, user) -> PlanQuerySet:
        """Return the plans the user may read: their agency's, or every agency's."""
        return _agency_scope(self, user, "agency_id")


class MeasureQuerySet(models.QuerySet):
    def for_user(self, user) -> MeasureQuerySet:
        """Return the measures of the plans the user may read."""
        return _agency_scope(self, user, "plan__agency_id")


class ActivityQuerySet(models.QuerySet):
    def for_user(self, user) -> ActivityQuerySet:
        """Return the activities of the plans the user may read."""
        return _agency_scope(self, user, "measure__plan__agency_id")


class ProgressReportQuerySet(models.QuerySet):
    def for_user(self, user) -> ProgressReportQuerySet:
        """Return the progress reports of the plans the user may read."""
        return _agency_scope(self, user, "round__plan__agency_id")

    def approvable_by(self, user) -> ProgressReportQuerySet:
        """Keep the reports separation of duties lets the user approve, in one query.

        The rule of ProgressReport.approval_refused_to(): nobody approves a report they
        submitted or whose text they saved (or created), unless the agency allows it.
        """
        authored = self.model.history.model.objects.filter(
            Q(history_change_reason="saved") | Q(history_type="+"),
            id=OuterRef("pk"),
            history_user=user,
        )
        return self.filter(
            Q(round__plan__agency__allow_self_approval=True)
            | (~Q(submitted_by=user) & ~Exists(authored))
        )


class EvidenceQuerySet(models.QuerySet):
    def for_user(self, user) -> EvidenceQuerySet:
        """Return the evidence of the reports the user may read."""
        return _agency_scope(self, user, "report__round__plan__agency_id")

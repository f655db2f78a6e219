"""The lookups every page of the measures plan starts from: what a user may read.

An agency's plans, activities, reports and evidence belong to it; superusers read every
agency's. What a user may change is decided in ita_portal/access.py on top of these.
"""

from __future__ import annotations

from django.db import models


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


class EvidenceQuerySet(models.QuerySet):
    def for_user(self, user) -> EvidenceQuerySet:
        """Return the evidence of the reports the user may read."""
        return _agency_scope(self, user, "report__round__plan__agency_id")

"""The yearly integrity-measures plan: measures, activities, reporting rounds, progress reports."""

from measures.models.plans import Activity, Measure, Plan, Round, Step, SuccessIndicator
from measures.models.reports import Evidence, ProgressReport, ReminderLog

__all__ = [
    "Activity",
    "Evidence",
    "Measure",
    "Plan",
    "ProgressReport",
    "ReminderLog",
    "Round",
    "Step",
    "SuccessIndicator",
]

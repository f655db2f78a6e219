"""Writes on the measures plan: building plans, progress reports and their workflow, evidence.

One module per concept; this package exports the services the views, commands and tests call.
"""

from measures.services.copying import plan_copy, plan_draft_from_assessment
from measures.services.evidence import evidence_add, evidence_delete, evidence_reuse
from measures.services.plans import (
    activity_save,
    default_rounds,
    measure_save,
    plan_create,
    plan_delete,
    plan_publish,
    plan_save,
    round_lock,
    round_save,
)
from measures.services.reports import (
    EditConflict,
    agency_set_self_approval,
    report_review,
    report_save,
    report_save_and_submit,
    report_submit,
)

__all__ = [
    "EditConflict",
    "activity_save",
    "agency_set_self_approval",
    "default_rounds",
    "evidence_add",
    "evidence_delete",
    "evidence_reuse",
    "measure_save",
    "plan_copy",
    "plan_create",
    "plan_delete",
    "plan_draft_from_assessment",
    "plan_publish",
    "plan_save",
    "report_review",
    "report_save",
    "report_save_and_submit",
    "report_submit",
    "round_lock",
    "round_save",
]

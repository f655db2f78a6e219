"""Reads on the measures plan, as plain data with a fixed number of queries.

One module per concept: progress (the rule every figure follows: approved reports only),
overview (a plan, a round), dashboard, history (of a report), plans (which plan is current),
links (the measures answering an assessment's questions).
"""

from measures.selectors.dashboard import dashboard
from measures.selectors.evidence import reusable_evidence
from measures.selectors.history import report_history
from measures.selectors.inbox import inbox, work_count
from measures.selectors.links import measures_by_question
from measures.selectors.overview import plan_for_assessment, plan_overview, round_progress
from measures.selectors.plans import current_plan, plan_contents, plan_years

__all__ = [
    "current_plan",
    "dashboard",
    "inbox",
    "measures_by_question",
    "plan_contents",
    "plan_for_assessment",
    "plan_overview",
    "plan_years",
    "report_history",
    "reusable_evidence",
    "round_progress",
    "work_count",
]

"""Reads on the measures plan, as plain data with a fixed number of queries.

The reports app builds the executive summary and the six-month report on plan_overview()
and round_progress(); the dashboard and the public page use the same shapes.
"""

from measures.selectors.dashboard import dashboard
from measures.selectors.overview import plan_for_assessment, plan_overview, round_progress

__all__ = ["dashboard", "plan_for_assessment", "plan_overview", "round_progress"]

"""Links to a plan's pages, which name the plan's agency when it is not the reader's own.

Plan pages are addressed by fiscal year within the reader's agency (/measures/2564/); a
superuser reading another agency's plan carries ?agency=<code> from page to page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from measures.models import Plan


def plan_url(viewname: str, plan: Plan, user, *args) -> str:
    """Reverse a page of the plan (its fiscal year first, then args) for this reader."""
    url = reverse(viewname, args=[plan.fiscal_year, *args])
    if plan.agency_id != user.agency_id:
        url += "?" + urlencode({"agency": plan.agency.code})
    return url

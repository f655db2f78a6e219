"""Template helpers of the measures app."""

from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from ita_portal.thai import MONTHS_EN_SHORT, MONTHS_TH_SHORT
from measures import links
from measures.models.plans import FISCAL_MONTHS

register = template.Library()

STATE_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "returned": "text-bg-warning",
    "approved": "text-bg-success",
}


@register.filter
def local(obj: object, name: str) -> str:
    """Return obj.<name>_en in the English UI when it is filled, else obj.<name>_th."""
    if (get_language() or "th").startswith("en"):
        english = getattr(obj, f"{name}_en", "")
        if english:
            return english
    return getattr(obj, f"{name}_th", "")


@register.filter
def state_class(state: str) -> str:
    """Return the badge colour of a workflow state."""
    return STATE_CLASSES.get(state, "text-bg-light")


@register.simple_tag(takes_context=True)
def plan_url(context, viewname: str, plan, *args) -> str:
    """Link to a page of the plan, naming its agency when it is not the reader's (links.py)."""
    return links.plan_url(viewname, plan, context["user"], *args)


@register.simple_tag(takes_context=True)
def my_work(context) -> int:
    """Count the signed-in user's waiting work; the home page has it in its inbox already."""
    from measures.selectors.inbox import work_count  # the selectors use `local` above

    if "inbox" in context:
        return context["inbox"].to_do
    return work_count(context["user"], timezone.localdate())


@register.filter
def baht(value) -> str:
    """Show an amount of baht with thousands separators and two decimals: 1,250,000.00."""
    if value in (None, ""):
        return "–"
    return f"{Decimal(value):,.2f}"


@register.simple_tag
def timeline_months(months, year: int) -> list[dict]:
    """Return the twelve months of a fiscal year (B.E.), October first, marking those in months."""
    active = set(months or ())
    english = (get_language() or "th").startswith("en")
    names = MONTHS_EN_SHORT if english else MONTHS_TH_SHORT
    return [
        {
            "short": names[month - 1],
            "label": f"{names[month - 1]} {year - 1 if month >= 10 else year}",
            "on": month in active,
        }
        for month in FISCAL_MONTHS
    ]


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number: int) -> str:
    """Link to another page of a list, keeping the other filters and pages of the request."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()

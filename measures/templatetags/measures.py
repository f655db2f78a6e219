"""Template helpers of the measures app."""

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from measures import links

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

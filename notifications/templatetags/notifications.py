"""Template helpers of the notifications app: the unread count the navigation shows."""

from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """Return the signed-in user's unread count; a page that knows it passes `unread`."""
    if "unread" in context:
        return context["unread"]
    return unread_count(context["user"])

"""Template helpers for assessment pages: names in the current language, figures and grades."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def loc(obj: object, field: str) -> str:
    """Return obj.<field>_en in the English UI when it is filled, else obj.<field>_th (or keys)."""

    def read(name: str) -> str:
        return obj.get(name, "") if isinstance(obj, dict) else getattr(obj, name, "")

    if (get_language() or "th").startswith("en"):
        english = read(f"{field}_en")
        if english:
            return english
    return read(f"{field}_th")


@register.filter
def signed(value) -> str:
    """Show a change with its sign (+2.00, -1.50, 0.00); a dash when unknown."""
    if value is None:
        return "–"
    return f"{value:+.2f}" if value else "0.00"


@register.filter
def dictget(mapping: dict, key):
    """Look a key up in a dict from a template."""
    return mapping.get(key)


@register.filter
def dictattr(obj: object, name: str):
    """Read an attribute named by a template variable."""
    return getattr(obj, name, "")

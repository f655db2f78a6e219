"""The words of each kind of notification, written in the reader's language when shown or sent.

A notification stores plain values (`params`); the sentence is made here, so the portal's list
speaks the reader's interface language and an e-mail the recipient's chosen one, with dates in
the Buddhist Era and titles in that language where they are filled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ita_portal.thai import thai_date
from notifications.models import Notification

Kind = Notification.Kind


@dataclass(frozen=True)
class Message:
    """A notification written out: one line to say what happened, one to say about what."""

    headline: str
    detail: str
    comment: str
    url: str  # absolute, for e-mails
    link: str  # the portal's own path, for its pages
    created_at: dt.datetime
    is_read: bool
    pk: int


def _local(params: dict, name: str, lang: str) -> str:
    return (lang == "en" and params.get(f"{name}_en")) or params.get(f"{name}_th", "")


def _headline(kind: str, params: dict, lang: str) -> str:
    values = {
        "actor": params.get("actor", ""),
        "activity": params.get("activity", ""),
        "round": _local(params, "round", lang),
        "year": params.get("year", ""),
        "due": thai_date(dt.date.fromisoformat(params["due"]), lang=lang)
        if params.get("due")
        else "",
    }
    headlines = {
        Kind.SUBMITTED: _("%(actor)s submitted the report of activity %(activity)s (%(round)s)"),
        Kind.RETURNED: _(
            "%(actor)s returned the report of activity %(activity)s (%(round)s) for correction"
        ),
        Kind.APPROVED: _("%(actor)s approved the report of activity %(activity)s (%(round)s)"),
        Kind.ASSIGNED: _("%(actor)s named you an owner of activity %(activity)s"),
        Kind.ROUND_OPENED: _("%(round)s of the %(year)s plan is open: reports are due on %(due)s"),
        Kind.ROUND_CLOSED: _(
            "%(round)s of the %(year)s plan is closed: its reports can no longer be changed"
        ),
    }
    return headlines[kind] % values


def write(notification: Notification, lang: str | None = None) -> Message:
    """Write a notification out in a language (the active one by default)."""
    lang = lang or translation.get_language() or settings.LANGUAGE_CODE
    lang = "en" if lang.startswith("en") else "th"
    params = notification.params
    with translation.override(lang):
        headline = _headline(notification.kind, params, lang)
        detail = _local(params, "title", lang)
    return Message(
        headline,
        detail,
        params.get("comment", ""),
        settings.PORTAL_URL + notification.link,
        notification.link,
        notification.created_at,
        notification.is_read,
        notification.pk,
    )

"""Reads of notifications: the unread count, a page of the list written in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from accounts.models import User
from notifications import messages
from notifications.models import Notification

PER_PAGE = 20


def unread_count(user: User) -> int:
    """Count the user's unread notifications (one query)."""
    return Notification.objects.filter(recipient=user, read_at=None).count()


@dataclass(frozen=True)
class NotificationPage:
    page: Page
    rows: list[messages.Message]
    unread: int


def notification_page(user: User, number: str | int | None) -> NotificationPage:
    """Return one page of the user's notifications, newest first, written out.

    Queries: the count, the page's rows, the unread count: 3.
    """
    paginator = Paginator(Notification.objects.filter(recipient=user), PER_PAGE)
    page = paginator.get_page(number)
    rows = [messages.write(notification) for notification in page.object_list]
    return NotificationPage(page, rows, unread_count(user))

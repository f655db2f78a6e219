"""The admin's uploads waiting for their confirmation, for the inbox's "blocked" list."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from imports.models import PendingImport
from notifications.blocked import Blocked


def waiting_uploads(user, today: dt.date) -> list[Blocked]:
    """Return the user's checked uploads that a confirmation would store (one query)."""
    waiting = PendingImport.objects.for_user(user).filter(status=PendingImport.Status.CHECKED)
    return [
        Blocked(
            _("Score workbook %(name)s is waiting for your confirmation") % {"name": p.file_name},
            _("%(count)s rows checked; nothing is stored until you confirm")
            % {"count": f"{p.row_count:,}"},
            reverse("imports:preview", args=[p.sha256]),
            p.row_count,
        )
        for p in waiting
        if not p.refused
    ]

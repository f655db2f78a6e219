"""E-mail reminders to the people responsible for progress reports due soon or overdue.

They follow the person: an activity's named owners, else the members of its units. Each is
written in the recipient's language; nobody who chose no e-mails gets one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from measures import notices
from measures.models import Activity, ProgressReport, ReminderLog, Round
from notifications.channels import preference_of
from notifications.models import Preference
from notifications.owners import responsible_people

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    activity: Activity
    round: Round
    overdue: bool


def reminders_due(today: dt.date) -> list[Reminder]:
    """Return (activity, round) pairs whose report is unsent and due within 7 days or overdue.

    Only rounds that have opened and are not locked count; a submitted or approved report
    needs no reminder.
    """
    rounds = list(
        Round.objects.filter(
            locked_at__isnull=True,
            opens_on__lte=today,
            due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        ).select_related("plan")
    )
    if not rounds:
        return []
    sent = set(
        ProgressReport.objects.filter(
            round__in=rounds,
            state__in=[ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED],
        ).values_list("activity_id", "round_id")
    )
    activities = (
        Activity.objects.filter(measure__plan__in={r.plan_id for r in rounds})
        .select_related("measure")
        .prefetch_related(
            "owners__notification_preference", "units__members__notification_preference"
        )
        .order_by("measure__number", "number")
    )
    by_plan: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_plan[activity.measure.plan_id].append(activity)
    return [
        Reminder(activity, round_, round_.due_on < today)
        for round_ in rounds
        for activity in by_plan[round_.plan_id]
        if (activity.pk, round_.pk) not in sent
    ]


def reminders_send(*, today: dt.date, base_url: str = "") -> int:
    """E-mail each responsible person once a day about their due and overdue reports.

    Return the number of e-mails sent.
    """
    per_user: dict[User, list[Reminder]] = defaultdict(list)
    for reminder in reminders_due(today):
        activity = reminder.activity
        for person in responsible_people(activity.owners.all(), activity.units.all()):
            if person.email and preference_of(person).email != Preference.Email.NONE:
                per_user[person].append(reminder)
    logged = set(
        ReminderLog.objects.filter(sent_on=today).values_list("user_id", "activity_id", "round_id")
    )
    sent = 0
    for user, reminders in sorted(per_user.items(), key=lambda item: item[0].pk):
        fresh = [r for r in reminders if (user.pk, r.activity.pk, r.round.pk) not in logged]
        if not fresh:
            continue
        with transaction.atomic():
            ReminderLog.objects.bulk_create(
                [
                    ReminderLog(user=user, activity=r.activity, round=r.round, sent_on=today)
                    for r in fresh
                ],
                ignore_conflicts=True,
            )
            with translation.override(preference_of(user).language):
                body = render_to_string(
                    "measures/email/reminder.txt",
                    {"user": user, "reminders": fresh, "base_url": base_url, "today": today},
                )
                subject = _("Reminder: progress reports of the integrity measures are due")
            send_mail(f"[ITA] {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent


def rounds_announce(*, today: dt.date) -> int:
    """Tell the people of each round open today (opened, not locked, not yet due) once.

    Return how many people were told; a second run tells nobody again.
    """
    rounds = Round.objects.filter(
        locked_at__isnull=True, opens_on__lte=today, due_on__gte=today
    ).select_related("plan")
    told = 0
    for round_ in rounds:
        with transaction.atomic():
            told += notices.round_opened(round_)
    return told

"""What every write of the measures plan shares: validation, history user, round checks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from ita_portal.access import can_edit_for_units, can_see_agency
from ita_portal.thai import thai_date
from measures.models import Activity, Plan, Round

# --- who may do what (one row's rules; views turn False into 403) -------------------------


def user_can_edit_report(user: User, activity: Activity, unit_ids: set[int]) -> bool:
    """Tell whether the user writes for one of the activity's units in its agency."""
    return can_see_agency(user, activity.measure.plan.agency) and can_edit_for_units(user, unit_ids)


def user_can_review(user: User, plan: Plan) -> bool:
    """Tell whether the user may approve or return the plan's reports."""
    return can_see_agency(user, plan.agency) and user.has_role(Role.MANAGER, Role.ADMIN)


def user_can_manage(user: User, plan_agency) -> bool:
    """Tell whether the user may build and publish the agency's plans."""
    return can_see_agency(user, plan_agency) and user.is_portal_admin


def _refuse_locked(round_: Round) -> None:
    if round_.is_locked:
        raise ValidationError(
            _("This round is locked: its reports can no longer be changed."), code="round_locked"
        )


def _refuse_not_open(round_: Round, today: dt.date) -> None:
    _refuse_locked(round_)
    if round_.opens_on > today:
        raise ValidationError(
            _("This round opens on %(day)s.") % {"day": thai_date(round_.opens_on)},
            code="round_not_open",
        )


def _save(instance, user: User | None = None):
    instance.full_clean()
    if user is not None:
        instance._history_user = user
    instance.save()
    return instance

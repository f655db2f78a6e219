"""Named owners: people responsible for a piece of work as well as its units.

An activity of the measures plan is assigned to units; it can also name people. Whoever is
named is the one reminded, notified and shown the work in their inbox; with nobody named, the
members of the units are. The same mixin and helpers fit any other assignable work (an OIT
item of the assessments later): the model inherits `Assignable` and says which units it has.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Assignable(models.Model):
    """A model whose rows can name people responsible, beside their units."""

    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="%(app_label)s_%(class)s_owned",
        verbose_name=_("named owners"),
        help_text=_(
            "People responsible for the work. With nobody named, the members of the "
            "responsible units are."
        ),
    )

    class Meta:
        abstract = True


def assigned_to(user, units_path: str = "units") -> Q:
    """Filter the work a user answers for: named as owner, or a member where nobody is named."""
    return Q(owners=user) | Q(owners__isnull=True, **{f"{units_path}__members": user})


def responsible_people(owners: Iterable, units: Iterable) -> list:
    """Return the active people responsible: the named owners, else the units' members.

    Expects owners and units with their members prefetched (no query here).
    """
    named = [user for user in owners if user.is_active]
    if named:
        return sorted(named, key=lambda user: user.pk)
    members = {member for unit in units for member in unit.members.all() if member.is_active}
    return sorted(members, key=lambda user: user.pk)

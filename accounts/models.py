"""Who uses the portal: agencies, their organisational units, and users with roles."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class Agency(models.Model):
    """A government agency assessed by the NACC (a department, a province, a university...)."""

    class Level(models.TextChoices):
        DEPARTMENT = "department", _("Department or equivalent")
        MINISTRY = "ministry", _("Ministry")
        PROVINCE = "province", _("Province")
        LOCAL = "local", _("Local administration")
        UNIVERSITY = "university", _("University")
        STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
        INDEPENDENT = "independent", _("Independent organisation")
        UNIT = "unit", _("Internal unit")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=False)
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    ministry = models.CharField(_("ministry"), max_length=255, blank=True, db_index=True)
    level = models.CharField(_("level"), max_length=20, choices=Level, default=Level.DEPARTMENT)
    # Separation of duties (measures): by default nobody approves a progress report they wrote
    # or submitted; a small agency with one manager may switch that off.
    allow_self_approval = models.BooleanField(
        _("allow self-approval of progress reports"),
        default=False,
        help_text=_(
            "Let the person who wrote or submitted a progress report also approve it. "
            "Off by default: another manager or admin approves."
        ),
    )

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return f"{self.name_th} ({self.abbreviation})" if self.abbreviation else self.name_th

    @property
    def name(self) -> str:
        return self.name_th


class AgencyOwnedQuerySet(models.QuerySet):
    """Rows that belong to one agency; `agency_path` is the lookup from the row to it."""

    agency_path = "agency"

    def for_user(self, user) -> AgencyOwnedQuerySet:
        """Keep the rows of the user's agency only (superusers: all)."""
        if user.is_superuser:
            return self
        if not user.is_authenticated or user.agency_id is None:
            return self.none()
        return self.filter(**{f"{self.agency_path}_id": user.agency_id})


class Unit(models.Model):
    """An organisational unit of an agency (กลุ่ม/กอง/สำนัก), known by its Thai abbreviation."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="units", verbose_name=_("agency")
    )
    code = models.CharField(_("code"), max_length=40, help_text=_("Thai abbreviation, e.g. กพบ."))
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )

    objects = AgencyOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_in_agency"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        if self.name_th and self.name_th != self.code:
            return f"{self.code} {self.name_th}"
        return self.code


class User(AbstractUser):
    """A portal user: belongs to one agency and one or more of its units; roles are groups."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    units = models.ManyToManyField(
        Unit, blank=True, related_name="members", verbose_name=_("units")
    )

    class Meta(AbstractUser.Meta):
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        """Return the names of the role groups this user belongs to (one query, cached)."""
        if not self.is_authenticated or not self.pk:
            return frozenset()
        if "groups" in getattr(self, "_prefetched_objects_cache", {}):  # a list's prefetch
            return frozenset(g.name for g in self.groups.all() if g.name in Role.values)
        names = set(self.groups.filter(name__in=Role.values).values_list("name", flat=True))
        return frozenset(names)

    def has_role(self, *roles: Role) -> bool:
        return self.is_superuser or any(role.value in self.role_names for role in roles)

    @property
    def is_portal_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def is_manager(self) -> bool:
        return self.has_role(Role.MANAGER)

    @property
    def is_steward(self) -> bool:
        """Tell whether the user keeps the portal-wide reference data (superusers do)."""
        return self.has_role(Role.STEWARD)

    @property
    def role(self) -> Role | None:
        """Return the strongest role the user holds."""
        for candidate in (Role.ADMIN, Role.MANAGER, Role.STAFF):
            if self.has_role(candidate):
                return candidate
        return None

    @cached_property
    def unit_ids(self) -> frozenset[int]:
        """Return the ids of the units the user belongs to (one query, cached)."""
        return frozenset(self.units.values_list("pk", flat=True))

"""The OIT self-check: an agency's round of a year, one row per OIT item, its evidence and checks.

A round (`OitRound`) is built from the instrument version's OIT items. Each item (`OitItem`) is
assigned to a unit (and optionally named people), answered by them (status, links, files,
explanation), scored by the working group with a value the version allows, returned or accepted;
the head approves the whole round. Links are fetched by the link checker (oit/linkcheck.py),
which records what it found on the link row. Every change keeps its history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Agency, AgencyOwnedQuerySet, Unit
from assessments.models import YEAR_VALIDATORS, InstrumentVersion, Question, SubItem
from measures.models import limits
from measures.uploads import evidence_upload_to
from notifications.owners import Assignable

TEXT_LIMIT = 4000


class RoundQuerySet(AgencyOwnedQuerySet):
    """The rounds of the user's agency (superusers: all)."""

    agency_path = "agency"


class OitRound(models.Model):
    """One agency's OIT self-check of one fiscal year, approved as a whole by its head."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("oit round", "Open")
        APPROVED = "approved", pgettext_lazy("oit round", "Approved")

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="oit_rounds", verbose_name=_("agency")
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"), validators=YEAR_VALIDATORS)
    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="oit_rounds",
        verbose_name=_("instrument version"),
    )
    state = models.CharField(_("workflow state"), max_length=20, choices=State, default=State.OPEN)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["agency_id", "-fiscal_year"]
        verbose_name = _("OIT round")
        verbose_name_plural = _("OIT rounds")
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="oitround_one_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} OIT {self.fiscal_year}"

    def clean(self) -> None:
        if self.version_id and self.fiscal_year and self.version.fiscal_year != self.fiscal_year:
            raise ValidationError(
                {
                    "version": ValidationError(
                        _("The instrument version is of another fiscal year."), code="other_year"
                    )
                }
            )

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED

    def check_open(self) -> None:
        """Refuse changes to a round its head has approved."""
        if self.is_approved:
            raise ValidationError(
                _("The OIT round is approved: nothing in it can change."), code="round_approved"
            )


class ItemQuerySet(AgencyOwnedQuerySet):
    """The items of the rounds the user may read."""

    agency_path = "round__agency"


class OitItem(Assignable):
    """One OIT item of a round: who answers it, by when, their answer and the review."""

    class Change(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        SAVED = "saved", _("Saved")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    class Status(models.TextChoices):
        DONE = "done", pgettext_lazy("oit item", "Completed")
        IMPROVING = "improving", pgettext_lazy("oit item", "Being improved")
        NO_DATA = "no_data", pgettext_lazy("oit item", "No information")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", pgettext_lazy("oit item", "Accepted")

    round = models.ForeignKey(
        OitRound, on_delete=models.CASCADE, related_name="items", verbose_name=_("OIT round")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="oit_items", verbose_name=_("OIT item")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="oit_items",
        verbose_name=_("responsible unit"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    requirement = models.TextField(
        _("requirement"),
        blank=True,
        validators=[limits.TextLimit(TEXT_LIMIT, _("requirement"))],
        help_text=_("What the item asks the website to show (from the version, editable)."),
    )
    status = models.CharField(
        pgettext_lazy("oit item", "status"), max_length=20, choices=Status, blank=True
    )
    explanation = models.TextField(
        _("explanation"), blank=True, validators=[limits.TextLimit(TEXT_LIMIT, _("explanation"))]
    )
    # The version's required elements of the item (its sub-items) that the answer shows.
    elements_done = models.ManyToManyField(
        SubItem, blank=True, related_name="oit_items", verbose_name=_("required elements shown")
    )
    state = models.CharField(_("workflow state"), max_length=20, choices=State, default=State.DRAFT)
    # The reviewer's value, one the version allows (0 or 1 when scored present/absent).
    score = models.DecimalField(
        _("review score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    review_comment = models.TextField(
        _("review comment"),
        blank=True,
        validators=[limits.TextLimit(TEXT_LIMIT, _("review comment"))],
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[Assignable.owners.field, elements_done])

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "question__order", "question_id"]
        verbose_name = _("OIT round item")
        verbose_name_plural = _("OIT round items")
        constraints = [
            models.UniqueConstraint(fields=["round", "question"], name="oititem_once_per_round"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0), name="oititem_score_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.question.code}"

    @property
    def is_editable_state(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    def is_overdue(self, today: dt.date) -> bool:
        return bool(self.due_on and self.due_on < today and self.state != self.State.ACCEPTED)

    def check_editable(self) -> None:
        """Refuse changing an answer that is with the reviewers or accepted."""
        if not self.is_editable_state:
            raise ValidationError(
                _("A submitted or accepted item cannot be changed."), code="item_state"
            )

    def _check_state(self, *allowed: str) -> None:
        if self.state not in allowed:
            raise ValidationError(
                _("This action is not possible in the item's current state."), code="item_state"
            )

    def author_ids(self) -> set[int]:
        """Return who answered the item: its submitter and whoever saved its answer."""
        writers = (
            self.history.filter(history_change_reason=self.Change.SAVED)
            .exclude(history_user=None)
            .values_list("history_user_id", flat=True)
        )
        return {*writers, self.submitted_by_id} - {None}

    def acceptance_refused_to(self, user) -> bool:
        """Tell whether separation of duties keeps the user from accepting this answer."""
        return not self.round.agency.allow_self_approval and user.pk in self.author_ids()

    def submit(self, *, user, at: dt.datetime) -> None:
        """Send the answer to the working group; it needs a status first."""
        self._check_state(self.State.DRAFT, self.State.RETURNED)
        if not self.status:
            raise ValidationError(
                {"status": ValidationError(_("Choose the item's status first."), code="no_status")}
            )
        self.state = self.State.SUBMITTED
        self.submitted_by = user
        self.submitted_at = at
        self._change_reason = self.Change.SUBMITTED

    def review(
        self, *, user, accept: bool, score: Decimal | None, comment: str, at: dt.datetime
    ) -> None:
        """Score the submitted answer and accept it, or return it saying what to fix."""
        self._check_state(self.State.SUBMITTED)
        comment = comment.strip()
        if not accept and not comment:
            raise ValidationError(
                {
                    "review_comment": ValidationError(
                        _("Say what must be fixed when returning an item."),
                        code="comment_required",
                    )
                }
            )
        if accept and score is None:
            raise ValidationError(
                {"score": ValidationError(_("Give the item a score."), code="score_required")}
            )
        if accept and self.acceptance_refused_to(user):
            raise ValidationError(
                _(
                    "You answered this item, so someone else of the working group accepts it "
                    "(the agency does not allow self-approval)."
                ),
                code="self_approval",
            )
        self.state = self.State.ACCEPTED if accept else self.State.RETURNED
        self.score = score
        self.review_comment = comment
        self.reviewed_by = user
        self.reviewed_at = at
        self._change_reason = self.Change.ACCEPTED if accept else self.Change.RETURNED


class LinkQuerySet(AgencyOwnedQuerySet):
    """The links of the rounds the user may read."""

    agency_path = "item__round__agency"


class OitLink(models.Model):
    """A URL an item's answer gives, with what the link checker last found there."""

    class Verdict(models.TextChoices):
        UNCHECKED = "", _("Not checked yet")
        OK = "ok", pgettext_lazy("link", "Works")
        MOVED = "moved", pgettext_lazy("link", "Moved")
        LOGIN = "login", pgettext_lazy("link", "Behind a login")
        BROKEN = "broken", pgettext_lazy("link", "Broken")
        REFUSED = "refused", pgettext_lazy("link", "Refused (private address)")

    item = models.ForeignKey(
        OitItem, on_delete=models.CASCADE, related_name="links", verbose_name=_("OIT round item")
    )
    url = models.URLField(_("link"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    verdict = models.CharField(
        _("check result"), max_length=10, choices=Verdict, blank=True, default=""
    )
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("final URL"), max_length=2000, blank=True)
    elapsed_ms = models.PositiveIntegerField(_("time (ms)"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ["item_id", "pk"]
        verbose_name = _("OIT link")
        verbose_name_plural = _("OIT links")
        constraints = [
            models.UniqueConstraint(fields=["item", "url"], name="oitlink_once_per_item"),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def is_problem(self) -> bool:
        return self.verdict in (
            self.Verdict.MOVED,
            self.Verdict.LOGIN,
            self.Verdict.BROKEN,
            self.Verdict.REFUSED,
        )


class FileQuerySet(AgencyOwnedQuerySet):
    """The files of the rounds the user may read."""

    agency_path = "item__round__agency"


class OitFile(models.Model):
    """A file an item's answer attaches (checked by content, stored under a generated name)."""

    item = models.ForeignKey(
        OitItem, on_delete=models.CASCADE, related_name="files", verbose_name=_("OIT round item")
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = FileQuerySet.as_manager()

    class Meta:
        ordering = ["item_id", "uploaded_at", "pk"]
        verbose_name = _("OIT file")
        verbose_name_plural = _("OIT files")

    def __str__(self) -> str:
        return self.original_name

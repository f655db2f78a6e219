"""Writes of the OIT self-check: rounds, assignment, answers, review, approval and link checks.

Who may call which is decided before (ita_portal/access.py, `# --- oit ---`); the services hold
the transactions and row locks and guard the workflow's invariants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit, User
from assessments.models import Assessment, InstrumentVersion, ItemAnswer, Question, SubItem
from assessments.services import assessment_upsert
from measures.uploads import check_evidence_file
from oit import linkcheck, selectors
from oit.models import OitFile, OitItem, OitLink, OitRound

MAX_LINKS = 10


def _save(instance, user: User | None, reason: str | None = None):
    instance.full_clean()
    if user is not None:
        instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


def _lock_round(pk: int) -> OitRound:
    return OitRound.objects.select_for_update(of=("self",)).select_related("agency").get(pk=pk)


def _lock_item(pk: int) -> OitItem:
    return (
        OitItem.objects.select_for_update(of=("self",))
        .select_related("round__agency", "round__version", "question")
        .get(pk=pk)
    )


@transaction.atomic
def round_create(*, agency: Agency, fiscal_year: int, user: User) -> OitRound:
    """Start an agency's OIT round of a year with one item per OIT item of the year's version."""
    version = InstrumentVersion.objects.nacc().filter(fiscal_year=fiscal_year).first()
    if version is None:
        raise ValidationError(
            _("There is no instrument version of %(year)s: a data steward adds it first.")
            % {"year": fiscal_year},
            code="no_version",
        )
    if OitRound.objects.filter(agency=agency, fiscal_year=fiscal_year).exists():
        raise ValidationError(
            _("The OIT round of %(year)s exists already.") % {"year": fiscal_year},
            code="round_exists",
        )
    questions = list(
        Question.objects.filter(version=version, kind=Question.Kind.ITEM).order_by("order", "id")
    )
    if not questions:
        raise ValidationError(
            _("The instrument version of %(year)s has no OIT items.") % {"year": fiscal_year},
            code="no_items",
        )
    round_ = _save(OitRound(agency=agency, fiscal_year=fiscal_year, version=version), user)
    for question in questions:
        _save(
            OitItem(round=round_, question=question, requirement=question.text_th),
            user,
            OitItem.Change.ASSIGNED,
        )
    return round_


@transaction.atomic
def item_assign(
    *,
    item: OitItem,
    user: User,
    unit: Unit | None,
    owners: Sequence[User],
    due_on: dt.date | None,
    requirement: str,
) -> OitItem:
    """Give an item its responsible unit, named people, due date and requirement text."""
    _lock_round(item.round_id).check_open()
    item = _lock_item(item.pk)
    agency_id = item.round.agency_id
    if unit is not None and unit.agency_id != agency_id:
        raise ValidationError(
            {"unit": ValidationError(_("The unit belongs to another agency."), code="unit")}
        )
    if any(owner.agency_id != agency_id for owner in owners):
        raise ValidationError(
            {"owners": ValidationError(_("A person belongs to another agency."), code="owner")}
        )
    item.unit, item.due_on, item.requirement = unit, due_on, requirement.strip()
    _save(item, user, OitItem.Change.ASSIGNED)
    item.owners.set(owners)
    return item


def _clean_urls(urls: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for url in urls:
        url = url.strip()
        if url and url not in seen:
            seen.append(url)
    if len(seen) > MAX_LINKS:
        raise ValidationError(
            _("At most %(n)s links per item.") % {"n": MAX_LINKS}, code="too_many_links"
        )
    return seen


@transaction.atomic
def item_answer(
    *,
    item: OitItem,
    user: User,
    status: str,
    explanation: str,
    urls: Iterable[str],
    elements: Sequence[SubItem] = (),
) -> OitItem:
    """Save the unit's answer: status, explanation, links (a link kept keeps its checks) and the
    required elements it shows."""
    _lock_round(item.round_id).check_open()
    item = _lock_item(item.pk)
    item.check_editable()
    if any(element.question_id != item.question_id for element in elements):
        raise ValidationError(
            {
                "elements": ValidationError(
                    _("An element belongs to another item."), code="element_item"
                )
            }
        )
    wanted = _clean_urls(urls)
    item.status, item.explanation = status, explanation.strip()
    _save(item, user, OitItem.Change.SAVED)
    item.elements_done.set(elements)
    for link in item.links.all():
        if link.url not in wanted:
            link._history_user = user
            link.delete()
    kept = set(item.links.values_list("url", flat=True))
    for url in wanted:
        if url not in kept:
            _save(OitLink(item=item, url=url, added_by=user), user)
    return item


@transaction.atomic
def item_file_add(*, item: OitItem, user: User, file) -> OitFile:
    """Attach a file to an item's answer, checked by its content."""
    _lock_round(item.round_id).check_open()
    item = _lock_item(item.pk)
    item.check_editable()
    content_type, _extension = check_evidence_file(file)
    return _save(
        OitFile(
            item=item,
            file=file,
            original_name=file.name,
            content_type=content_type,
            size=file.size,
            uploaded_by=user,
        ),
        user,
    )


@transaction.atomic
def item_file_delete(*, attachment: OitFile, user: User) -> None:
    """Remove a file from an item's answer while the answer is editable."""
    _lock_round(attachment.item.round_id).check_open()
    _lock_item(attachment.item_id).check_editable()
    attachment._history_user = user
    attachment.delete()


@transaction.atomic
def item_submit(*, item: OitItem, user: User) -> OitItem:
    """Send an item's answer to the working group."""
    _lock_round(item.round_id).check_open()
    item = _lock_item(item.pk)
    if not item.links.exists() and not item.files.exists() and item.status == item.Status.DONE:
        raise ValidationError(
            _("A completed item needs at least one link or file."), code="no_evidence"
        )
    item.submit(user=user, at=timezone.now())
    return _save(item, user)


@transaction.atomic
def item_review(
    *, item: OitItem, user: User, accept: bool, score: Decimal | None, comment: str
) -> OitItem:
    """Score a submitted item with a value the version allows; accept or return it."""
    _lock_round(item.round_id).check_open()
    item = _lock_item(item.pk)
    allowed = selectors.allowed_values(item.round.version)
    if score is not None and score not in allowed:
        raise ValidationError(
            {
                "score": ValidationError(
                    _("The version allows only these scores: %(values)s.")
                    % {"values": ", ".join(str(v) for v in allowed)},
                    code="score_not_allowed",
                )
            }
        )
    item.review(user=user, accept=accept, score=score, comment=comment, at=timezone.now())
    return _save(item, user)


def round_authors(round_: OitRound) -> set[int]:
    """Return everyone who answered or submitted an item of the round."""
    history = OitItem.history.model.objects.filter(
        round_id=round_.pk, history_change_reason=OitItem.Change.SAVED
    ).exclude(history_user=None)
    submitters = OitItem.objects.filter(round=round_).exclude(submitted_by=None)
    return set(history.values_list("history_user_id", flat=True)) | set(
        submitters.values_list("submitted_by_id", flat=True)
    )


@transaction.atomic
def round_approve(*, round_: OitRound, user: User) -> OitRound:
    """The head approves the whole self-check once every item is accepted."""
    round_ = _lock_round(round_.pk)
    round_.check_open()
    waiting = round_.items.filter(~Q(state=OitItem.State.ACCEPTED)).count()
    if waiting:
        raise ValidationError(
            _("%(n)s items are not accepted yet: the working group reviews them first.")
            % {"n": waiting},
            code="items_waiting",
        )
    if not round_.agency.allow_self_approval and user.pk in round_authors(round_):
        raise ValidationError(
            _(
                "You answered items of this round, so another head approves it "
                "(the agency does not allow self-approval)."
            ),
            code="self_approval",
        )
    round_.state, round_.approved_by, round_.approved_at = (
        OitRound.State.APPROVED,
        user,
        timezone.now(),
    )
    _save(round_, user)
    self_assessment_feed(round_=round_, user=user)
    return round_


def self_assessment_feed(*, round_: OitRound, user: User) -> Assessment:
    """Write an approved round's items into the agency's self-assessment of the year.

    The self-assessment (Assessment kind=self) is kept apart from the official result; its OIT
    item answers are the head-approved scores, each with its first link and the explanation.
    """
    version = round_.version
    assessment = assessment_upsert(
        agency=round_.agency,
        fiscal_year=round_.fiscal_year,
        values={},
        kind=Assessment.Kind.SELF,
        framework=version.framework,
    )
    reviewer = version.oit_scoring == InstrumentVersion.OitScoring.REVIEWER_SCORE
    for item in round_.items.select_related("question").prefetch_related("links"):
        links = list(item.links.all())
        answer = ItemAnswer.objects.filter(assessment=assessment, question=item.question).first()
        answer = answer or ItemAnswer(assessment=assessment, question=item.question)
        answer.present = bool(item.score) if reviewer else item.score == 1
        answer.reviewer_score = item.score if reviewer else None
        answer.evidence_url = links[0].url if links else ""
        answer.note = item.explanation
        _save(answer, user)
    return assessment


def link_record(*, link: OitLink, outcome: linkcheck.Outcome) -> OitLink:
    """Store what one check of a link found."""
    link.verdict = outcome.verdict
    link.status_code = outcome.status_code
    link.final_url = outcome.final_url[:2000]
    link.elapsed_ms = outcome.elapsed_ms
    link.detail = outcome.detail[:300]
    link.checked_at = timezone.now()
    link._change_reason = "checked"
    link.save()
    return link


def links_check(links: Iterable[OitLink]) -> dict[str, int]:
    """Check each link once and record it; return how many got each verdict."""
    counts: dict[str, int] = {}
    for link in links:
        outcome = linkcheck.check(link.url)
        link_record(link=link, outcome=outcome)
        counts[outcome.verdict] = counts.get(outcome.verdict, 0) + 1
    return counts

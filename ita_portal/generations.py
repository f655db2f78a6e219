"""Data generations: one token per scope of data, replaced whenever that data changes.

A cached page is stored with the tokens of the scopes it shows (ita_portal.pages):
- `results:<code>` (and `results-id:<id>`): an agency's results: its assessments and their
  scores, import batches, OIT self-checks and surveys;
- `plans:<code>` (and `plans-id:<id>`): an agency's plans and everything under them, and the
  measures documents; its units and users are in both;
- `ministry:<digest>`: any agency of a ministry changed (what the ministry ranking shows);
- `user:<id>`: one user's account, roles, units and notifications (the navigation bar, and the
  access a cached page was granted with);
- `method`: any row of any instrument version (weights, levels, questions...);
- `all`: anything else that pages show (agency names, document settings, role groups), and
  what cannot be traced to an agency; a migration or a restore replaces it too.
A token is a random string kept in the shared cache. Replacing it deletes it: a scope whose
token is gone (replaced, expired, culled, cleared) gets a new one at its next read, so a lost
token only costs a render, never shows stale data.

What replaces tokens: every save, delete and many-to-many change of a model in `SCOPES`
(signals, connected by `connect`), and the writes that go around signals (the score import and
its rollback, bulk notifications, survey scoring) call `bump` or `bump_agencies` themselves.
`tests/ita_portal/test_generations.py` fails on a model of the portal's apps that is neither
in `SCOPES` nor in `UNSHOWN` with a reason, so a new model is never silently left out.

A change inside a transaction replaces the tokens at once and again after the commit: a
reader that cached the old data under the new token between the two (possible with Redis,
which is not transactional) is outdated by the second replacement. Within one transaction a
scope is replaced once, until a page reads the tokens again (a test or a bulk loader saving
thousands of rows writes each token once).
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Iterable
from functools import partial

from django.apps import apps
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

PREFIX = "gen:"
# Longer than any cached page lives: a token outliving its pages costs nothing.
TOKEN_SECONDS = 30 * 24 * 60 * 60
ALL = "all"
METHOD = "method"
# More agencies than this in one bulk write (a national import) replace `all` instead.
BULK_AGENCIES = 50

# How a change to a row reaches its scopes: the kind of the agency's data and the lookup from
# the row to its agency, or a scope of its own.
RESULTS, PLANS, BOTH = ("results",), ("plans",), ("results", "plans")
SCOPES: dict[str, tuple[tuple[str, ...], str]] = {
    "accounts.Agency": ((ALL,), ""),  # names and ministries show on other agencies' pages
    "accounts.Unit": (BOTH, "agency"),
    "accounts.User": (BOTH, "agency"),  # and the user's own scope
    "auth.Group": ((ALL,), ""),  # roles are groups
    "assessments.Assessment": (RESULTS, "agency"),
    "assessments.QuestionScore": (RESULTS, "assessment__agency"),
    "assessments.ItemAnswer": (RESULTS, "assessment__agency"),
    "assessments.SubIndicatorScore": (RESULTS, "assessment__agency"),
    "assessments.IndicatorScore": (RESULTS, "assessment__agency"),
    "assessments.InstrumentScore": (RESULTS, "assessment__agency"),
    "imports.ImportBatch": (RESULTS, "agency"),
    "oit.OitRound": (RESULTS, "agency"),  # its approval names the source of a self-assessment
    "oit.OitItem": (RESULTS, "round__agency"),
    "oit.OitLink": (RESULTS, "item__round__agency"),
    "oit.OitFile": (RESULTS, "item__round__agency"),
    "surveys.SurveyRound": (RESULTS, "agency"),  # closing one writes a self-assessment
    "surveys.SurveyUnit": (RESULTS, "round__agency"),
    "surveys.RoundScore": (RESULTS, "round__agency"),
    "measures.Plan": (PLANS, "agency"),
    "measures.Round": (PLANS, "plan__agency"),
    "measures.Measure": (PLANS, "plan__agency"),
    "measures.Activity": (PLANS, "measure__plan__agency"),
    "measures.Step": (PLANS, "activity__measure__plan__agency"),
    "measures.SuccessIndicator": (PLANS, "activity__measure__plan__agency"),
    "measures.ProgressReport": (PLANS, "round__plan__agency"),
    "measures.Evidence": (PLANS, "report__round__plan__agency"),
    "reports.DocumentSettings": ((ALL,), ""),
    "reports.DocumentText": (PLANS, "plan__agency"),
    "reports.WeaknessApproach": (PLANS, "measure__plan__agency"),
    "reports.IssuedDocument": (PLANS, "plan__agency"),
    "notifications.Notification": (("user",), "recipient"),  # the recipient's own scope
    **{
        f"assessments.{name}": ((METHOD,), "")
        for name in (
            "InstrumentVersion",
            "Instrument",
            "Indicator",
            "SubIndicator",
            "Question",
            "GradeBand",
            "AnswerScale",
            "AnswerOption",
            "SubItem",
            "OptionLabel",
            "QuestionLink",
        )
    },
}
# Models of the portal's apps whose rows no cached page shows, and why.
UNSHOWN: dict[str, str] = {
    "assessments.StoredResult": "derived from the scores, which carry the scopes",
    "imports.PendingImport": "an upload awaiting its preview: shown on the import pages only",
    "imports.PendingPage": "pages of an upload's preview: shown on the import pages only",
    "jobs.Job": "background jobs: shown on the job pages only",
    "measures.ReminderLog": "which reminders went out: read by the reminder command only",
    "notifications.Preference": "a user's e-mail settings: shown on their settings page only",
    "notifications.Delivery": "e-mails sent: read by the sending command only",
    "surveys.AccessCode": "a survey's access codes: shown on the survey pages only",
    "surveys.Response": "survey answers: counted on the survey pages only",
    "surveys.Draft": "a respondent's unsent answers: shown to that respondent only",
}
PORTAL_APPS = (
    "accounts",
    "assessments",
    "imports",
    "jobs",
    "measures",
    "notifications",
    "oit",
    "reports",
    "surveys",
)


def ministry_scope(ministry: str) -> str:
    # A ministry's name is long Thai text: its digest keeps the cache key short.
    return "ministry:" + hashlib.sha256(ministry.encode()).hexdigest()[:16]


def agency_scopes(kinds: Iterable[str], pk: int, code: str, ministry: str) -> set[str]:
    """Return the scopes a change to these kinds of one agency's data replaces.

    Each kind by the agency's code (pages named by it) and by its id (pages of the user's own
    agency); results also by the ministry (its ranking).
    """
    scopes = {f"{kind}:{code}" for kind in kinds} | {f"{kind}-id:{pk}" for kind in kinds}
    if "results" in kinds:
        scopes.add(ministry_scope(ministry))
    return scopes


# --- reading --------------------------------------------------------------------------------------


def tokens(scopes: Iterable[str]) -> list[str]:
    """Return the current token of each scope (one cache read; a missing token is made)."""
    return tokens_with(scopes, ())[0]


def tokens_with(scopes: Iterable[str], keys: Iterable[str]) -> tuple[list[str], dict]:
    """Return the scopes' tokens and the cached values of keys found, in one cache read."""
    _state.reset()  # a reader between two writes: the next write replaces its tokens again
    names = [PREFIX + scope for scope in scopes]
    keys = list(keys)
    found = cache.get_many([*keys, *names])
    values = {key: found.pop(key) for key in keys if key in found}
    for name in names:
        if name not in found:
            new = uuid.uuid4().hex[:16]
            # Two readers making the same token: the first one stored wins for both.
            found[name] = new if cache.add(name, new, TOKEN_SECONDS) else cache.get(name, new)
    return [found[name] for name in names], values


# --- replacing ------------------------------------------------------------------------------------


def bump(*scopes: str) -> None:
    """Replace the tokens of these scopes now and, inside a transaction, again after it."""
    new = _state.unbumped(set(scopes))
    if not new:
        return
    _replace(new)
    if connection.in_atomic_block:
        transaction.on_commit(partial(_replace, new), robust=True)


def bump_agencies(agency_ids: Iterable[int], kinds: Iterable[str] = RESULTS) -> None:
    """Replace the scopes of these agencies' data (a bulk write); many of them replace `all`."""
    from accounts.models import Agency

    ids = set(agency_ids)
    if len(ids) > BULK_AGENCIES:
        bump(ALL)
        return
    scopes = set()
    for pk, code, ministry in Agency.objects.filter(pk__in=ids).values_list(
        "pk", "code", "ministry"
    ):
        scopes |= agency_scopes(kinds, pk, code, ministry)
    bump(*scopes)


def bump_batch(batch_id: int) -> None:
    """Replace the scopes of the agencies an import batch wrote rows of (no signals there)."""
    from django.db.models import Q

    from assessments.models import Assessment
    from assessments.standings import ASSESSMENT_ROWS

    touched = Q(batch_id=batch_id)
    for model in ASSESSMENT_ROWS:
        touched |= Q(pk__in=model.objects.filter(batch_id=batch_id).values("assessment"))
    bump_agencies(Assessment.objects.filter(touched).values_list("agency_id", flat=True))


def _replace(scopes: set[str]) -> None:
    """Give these scopes new tokens (what `bump` does now and queues for after the commit).

    The tokens are deleted: the next reader makes new ones. One statement for any number of
    scopes, where setting them costs the database cache three a scope (look, count, write).
    """
    if not _cache_exists():
        return
    cache.delete_many([PREFIX + scope for scope in scopes])


_cache_made = False


def _cache_exists() -> bool:
    """Tell whether the cache can be written: no database cache's table before it is made.

    A migration's post_migrate receivers save rows (role groups) before `createcachetable`
    runs; with no table nothing is cached, so there is nothing to replace.
    """
    global _cache_made
    if not _cache_made:
        backend = caches["default"]
        _cache_made = not isinstance(backend, DatabaseCache) or (
            backend._table in connection.introspection.table_names()
        )
    return _cache_made


class _TransactionState(threading.local):
    """Scopes already replaced, and agencies already looked up, in the current transaction."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.where: tuple | None = None
        self.bumped: set[str] = set()
        self.memo: dict[tuple[str, int], tuple] = {}

    def _current(self) -> None:
        # Outside a transaction every write is its own: nothing to remember.
        where = (id(connection), *connection.savepoint_ids) if connection.in_atomic_block else None
        if where is None or where != self.where:
            self.reset()
            self.where = where

    def unbumped(self, scopes: set[str]) -> set[str]:
        self._current()
        new = scopes - self.bumped
        if self.where is not None:
            self.bumped |= new
        return new

    def remembered(self, key: tuple[str, int]) -> tuple | None:
        self._current()
        return self.memo.get(key)

    def remember(self, key: tuple[str, int], row: tuple) -> None:
        if self.where is not None:
            self.memo[key] = row


_state = _TransactionState()


def scopes_of(instance) -> set[str]:
    """Return the scopes a change to this row replaces (at most one query, remembered)."""
    label = instance._meta.label
    kinds, path = SCOPES[label]
    if not path:
        return set(kinds)
    if path == "recipient":
        return {f"user:{instance.recipient_id}"}
    scopes = {f"user:{instance.pk}"} if label == "accounts.User" else set()
    first, _, rest = path.partition("__")
    key_id = getattr(instance, f"{first}_id")
    if key_id is None:  # a user of no agency
        return scopes
    related = instance._meta.get_field(first).related_model
    memo_key = (related._meta.label, key_id)
    row = _state.remembered(memo_key)
    if row is None:
        lookups = (
            [f"{rest}_id", f"{rest}__code", f"{rest}__ministry"]
            if rest
            else ["pk", "code", "ministry"]
        )
        row = related._base_manager.filter(pk=key_id).values_list(*lookups).first() or ()
        _state.remember(memo_key, row)
    # A row whose parent went first (a cascade): where it belonged is unknown.
    return scopes | (agency_scopes(kinds, *row) if row else {ALL})


# --- signals --------------------------------------------------------------------------------------


def _changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:  # a restore: it replaces every token when done
        return
    if sender._meta.label == "accounts.User" and kwargs.get("update_fields") == {"last_login"}:
        return  # a login changes nothing any page shows
    bump(*scopes_of(instance))


def _m2m_changed(sender, instance, action: str, model, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    scopes = scopes_of(instance) if instance._meta.label in SCOPES else {ALL}
    if model._meta.label == "accounts.User":
        # unit.members.add(user): the users' own scopes too (their access and navigation).
        scopes |= {f"user:{pk}" for pk in pk_set or ()}
    bump(*scopes)


def _migrated(sender, **kwargs) -> None:
    if sender.name == "ita_portal":
        bump(ALL)


def connect() -> None:
    """Connect the receivers that replace tokens when the rows of SCOPES change."""
    for label in SCOPES:
        model = apps.get_model(label)
        uid = f"generation-{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
            )
    post_migrate.connect(_migrated, dispatch_uid="generation-migrate")

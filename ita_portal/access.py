"""Who may see and change what: the one place every view asks.

One idiom, as healthchecks' `_get_check_for_user`:
- a role is checked with the `@role_required(Role.X)` decorator;
- an agency's object is fetched with `get_<obj>_for_user(user, ...)`, which answers 404 for
  objects of another agency (hiding that they exist), built on the model's `for_user()` queryset;
- an object the user is about to change is fetched with `get_rw_<obj>_for_user(user, ...)`,
  which also answers 403 when the user may read but not change it (wrong role or unit).
The data boundary (docs/decisions.md): an agency's own assessments, plans, reports, evidence,
import batches and users belong to it; instrument versions and other agencies' published results
are portal-wide reference data that only a data steward (or a superuser) changes.

Which role may change what, in the functions below:
- its own agency's data: the agency's users by role (`role_required`, `get_rw_*`), after
  `can_see_agency` (own agency only; superusers any);
- reference data: `can_change_reference_data` (data stewards and superusers; a steward is
  portal-wide, whatever agency their account names);
- the Django admin, which is not scoped to an agency: `can_use_django_admin` (superusers and
  stewards only; ita_portal.admin);
- portal-wide accounts (superusers, stewards): `can_manage_account`, so that no agency admin
  changes, resets or disables them; only a superuser grants the steward role
  (`manage.py steward`).
Each app's helpers live in its own section below.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import Agency, Unit, User
from accounts.roles import Role
from assessments.models import Assessment
from jobs.models import Job
from measures.models import Activity, Evidence, Measure, Plan, ProgressReport, Round
from notifications.models import Notification
from oit.models import OitFile, OitItem, OitRound


def role_required(*roles: Role) -> Callable:
    """Refuse (403) a signed-in user who holds none of the roles; superusers pass."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can_see_agency(user: User, agency: Agency) -> bool:
    """Tell whether a user may read an agency's own data (their agency, or any for superusers)."""
    return user.is_superuser or (user.agency_id is not None and user.agency_id == agency.pk)


def get_agency_for_user(user: User, code: str) -> Agency:
    """Return the agency with that code if the user may read it; 404 otherwise, hiding it."""
    agency = get_object_or_404(Agency, code=code)
    if not can_see_agency(user, agency):
        raise Http404
    return agency


def can_change_reference_data(user: User) -> bool:
    """Tell whether a user may change portal-wide reference data: stewards and superusers."""
    return user.is_authenticated and user.is_active and user.is_steward


def can_use_django_admin(user: User) -> bool:
    """Tell whether a user may open the Django admin, which sees every agency's rows."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.is_steward)
    )


def can_edit_for_units(user: User, units: list[Unit] | set[int]) -> bool:
    """Tell whether a user may write on behalf of any of these units (admins: always)."""
    if user.is_portal_admin:
        return True
    unit_ids = {u if isinstance(u, int) else u.pk for u in units}
    return user.has_role(Role.STAFF, Role.MANAGER) and bool(user.unit_ids & unit_ids)


# --- accounts -------------------------------------------------------------------------------------


def can_manage_account(user: User, account: User) -> bool:
    """Tell whether user may change account: an admin of its agency, unless it is portal-wide."""
    if user.is_superuser:
        return True
    if account.is_superuser or account.is_steward:
        return False
    return (
        user.is_portal_admin
        and account.agency_id is not None
        and account.agency_id == user.agency_id
    )


def users_for_user(user: User) -> QuerySet[User]:
    """Return the accounts of the user's agency (superusers: every account)."""
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(agency_id=user.agency_id) if user.agency_id else User.objects.none()


def get_user_for_user(user: User, pk: int) -> User:
    """Return a user account of the user's agency; 404 for accounts of other agencies."""
    return get_object_or_404(users_for_user(user), pk=pk)


def get_rw_user_for_user(user: User, pk: int) -> User:
    """Return an account the user may change; 404 for other agencies, 403 for portal-wide ones."""
    account = get_user_for_user(user, pk)
    if not can_manage_account(user, account):
        raise PermissionDenied
    return account


def get_unit_for_user(user: User, pk: int) -> Unit:
    """Return a unit of the user's agency; 404 for units of other agencies."""
    return get_object_or_404(Unit.objects.for_user(user), pk=pk)


# --- assessments ----------------------------------------------------------------------------------


def get_assessment_for_user(user: User, agency_code: str, year: int) -> Assessment:
    """Return an agency's assessment of a year if the user may read it; 404 otherwise.

    One query; the agency and the instrument version come with it.
    """
    return get_object_or_404(
        Assessment.objects.for_user(user).official().select_related("agency", "version"),
        agency__code=agency_code,
        fiscal_year=year,
    )


# --- imports --------------------------------------------------------------------------------------


def get_batch_for_user(user: User, pk: int):
    """Return an import batch the user may see (their agency's; any for a steward); else 404."""
    from imports.models import ImportBatch

    return get_object_or_404(
        ImportBatch.objects.for_user(user).select_related(
            "agency", "uploaded_by", "rolled_back_by"
        ),
        pk=pk,
    )


def get_rw_batch_for_user(user: User, pk: int):
    """Return an import batch the user may roll back; 404 if hidden, 403 for a reader only."""
    batch = get_batch_for_user(user, pk)
    if not user.has_role(Role.ADMIN, Role.STEWARD):
        raise PermissionDenied
    return batch


def get_pending_for_user(user: User, sha256: str):
    """Return the user's own upload waiting with that SHA-256; 404 for anyone else's."""
    from imports.models import PendingImport

    return get_object_or_404(PendingImport.objects.for_user(user), sha256=sha256)


def get_rw_pending_for_user(user: User, sha256: str):
    """Return the user's own waiting upload to confirm; 403 once they may import no more."""
    pending = get_pending_for_user(user, sha256)
    if not user.has_role(Role.ADMIN, Role.STEWARD):
        raise PermissionDenied
    return pending


# --- measures -------------------------------------------------------------------------------------
# Plans, measures and rounds are built by the agency's admins; a progress report is written by the
# members of its activity's units, the people it names as owners (and admins), and reviewed by
# managers and admins. Drafts and returned reports are for their writers and the reviewers only.
# Superusers read every agency's plans, naming the agency by its code (?agency=<code> on the
# plan pages).


def can_manage_plans(user: User, agency: Agency) -> bool:
    """Tell whether the user builds, publishes and deletes the agency's plans (its admins)."""
    return user.is_portal_admin and can_see_agency(user, agency)


def can_review_reports(user: User, agency: Agency) -> bool:
    """Tell whether the user approves or returns the agency's progress reports."""
    return user.has_role(Role.MANAGER, Role.ADMIN) and can_see_agency(user, agency)


def can_write_reports(user: User, activity: Activity) -> bool:
    """Tell whether the user writes the activity's reports: its units' members, owners, admins."""
    if not can_see_agency(user, activity.measure.plan.agency):
        return False
    if can_edit_for_units(user, list(activity.units.all())):
        return True
    return user.has_role(Role.STAFF, Role.MANAGER) and activity.owners.filter(pk=user.pk).exists()


def can_read_report(user: User, report: ProgressReport) -> bool:
    """Tell whether the user may read the report: submitted ones by all; drafts by few."""
    if report.state in (ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED):
        return True
    activity = report.activity
    return can_write_reports(user, activity) or can_review_reports(
        user, activity.measure.plan.agency
    )


def get_rw_plans_agency_for_user(user: User) -> Agency:
    """Return the user's agency to start plans in; 404 without one, 403 unless its admin."""
    if user.agency_id is None:
        raise Http404
    if not can_manage_plans(user, user.agency):
        raise PermissionDenied
    return user.agency


def get_plan_for_user(user: User, year: int, agency: str | None = None) -> Plan:
    """Return the plan of that year of the user's agency, or of the agency with that code."""
    plans = Plan.objects.for_user(user).select_related("agency")
    if agency:
        return get_object_or_404(plans, agency__code=agency, fiscal_year=year)
    return get_object_or_404(plans, agency_id=user.agency_id, fiscal_year=year)


def get_rw_plan_for_user(user: User, year: int, agency: str | None = None) -> Plan:
    """Return the plan like get_plan_for_user, or 403 unless the user manages its plans."""
    plan = get_plan_for_user(user, year, agency)
    if not can_manage_plans(user, plan.agency):
        raise PermissionDenied
    return plan


def get_rw_measure_for_user(user: User, pk: int) -> Measure:
    """Return a measure the user may change (its plan's admins); 404 or 403 otherwise."""
    measure = get_object_or_404(
        Measure.objects.for_user(user).select_related("plan__agency"), pk=pk
    )
    if not can_manage_plans(user, measure.plan.agency):
        raise PermissionDenied
    return measure


def get_activity_for_user(user: User, pk: int) -> Activity:
    """Return an activity of a plan the user may read, with its units and steps; 404 otherwise."""
    activities = (
        Activity.objects.for_user(user)
        .select_related("measure__plan__agency", "lead_unit")
        .prefetch_related("units", "steps", "questions")
    )
    return get_object_or_404(activities, pk=pk)


def get_rw_activity_for_user(user: User, pk: int) -> Activity:
    """Return the activity like get_activity_for_user, or 403 unless the user writes its reports."""
    activity = get_activity_for_user(user, pk)
    if not can_write_reports(user, activity):
        raise PermissionDenied
    return activity


def _reports_for_user(user: User):
    return (
        ProgressReport.objects.for_user(user)
        .select_related("round__plan__agency", "activity__measure__plan__agency")
        .prefetch_related("activity__units")
    )


def get_report_for_user(user: User, pk: int) -> ProgressReport:
    """Return a progress report the user may read; 404 for other agencies and hidden drafts."""
    report = get_object_or_404(_reports_for_user(user), pk=pk)
    if not can_read_report(user, report):
        raise Http404
    return report


def get_rw_report_for_user(user: User, pk: int) -> ProgressReport:
    """Return a report of the user's agency that the user writes; 404 or 403 otherwise."""
    report = get_object_or_404(_reports_for_user(user), pk=pk)
    if not can_write_reports(user, report.activity):
        raise PermissionDenied
    return report


def get_report_to_review_for_user(user: User, pk: int) -> ProgressReport:
    """Return the report like get_report_for_user, or 403 unless the user reviews reports."""
    report = get_report_for_user(user, pk)
    if not can_review_reports(user, report.round.plan.agency):
        raise PermissionDenied
    return report


def _evidence_for_user(user: User):
    return (
        Evidence.objects.for_user(user)
        .select_related("report__round__plan__agency", "report__activity__measure__plan__agency")
        .prefetch_related("report__activity__units")
    )


def get_evidence_for_user(user: User, pk: int) -> Evidence:
    """Return an evidence item of a report the user may read; 404 otherwise."""
    evidence = get_object_or_404(_evidence_for_user(user), pk=pk)
    if not can_read_report(user, evidence.report):
        raise Http404
    return evidence


def get_rw_evidence_for_user(user: User, pk: int) -> Evidence:
    """Return an evidence item of the user's agency whose report the user writes; 404 or 403."""
    evidence = get_object_or_404(_evidence_for_user(user), pk=pk)
    if not can_write_reports(user, evidence.report.activity):
        raise PermissionDenied
    return evidence


# --- notifications --------------------------------------------------------------------------------
# A notification is its recipient's alone: anyone else's answers 404, superusers included.


def get_notification_for_user(user: User, pk: int) -> Notification:
    """Return one of the user's own notifications; 404 for anyone else's."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


# --- reports --------------------------------------------------------------------------------------


def get_round_for_user(user: User, agency_code: str, year: int, number: int) -> Round:
    """Return a round of the agency's plan of a year if the user may read it; 404 otherwise."""
    agency = get_agency_for_user(user, agency_code)
    return get_object_or_404(
        Round.objects.select_related("plan__agency"),
        plan__agency=agency,
        plan__fiscal_year=year,
        number=number,
    )


# --- reports: the measures document ---------------------------------------------------------------
# The measures document of a plan year, its reports and issued versions, and the forms that feed
# them: the agency's managers and admins only (role_required on the views), their own agency only.


def get_document_plan_for_user(user: User, agency_code: str, year: int) -> Plan:
    """Return the agency's plan of that year if the user may read it; 404 otherwise."""
    agency = get_agency_for_user(user, agency_code)
    return get_object_or_404(Plan.objects.select_related("agency"), agency=agency, fiscal_year=year)


def get_document_measure_for_user(user: User, plan: Plan, pk: int) -> Measure:
    """Return a measure of the document's plan; 404 for any other plan's."""
    return get_object_or_404(Measure.objects.select_related("plan"), plan=plan, pk=pk)


def get_issued_document_for_user(user: User, plan: Plan, pk: int):
    """Return an issued version of the document's plan; 404 for any other plan's."""
    from reports.models import IssuedDocument  # reports' models import the measures' ones

    return get_object_or_404(IssuedDocument, plan=plan, pk=pk)


# --- jobs -----------------------------------------------------------------------------------------


def get_job_for_user(user: User, pk: int) -> Job:
    """Return one of the user's own background jobs; anyone else's answers 404."""
    return get_object_or_404(Job.objects.for_user(user), pk=pk)


# --- oit ------------------------------------------------------------------------------------------
# An agency's OIT self-check is read by all its users. Its admins start rounds and assign items;
# an item is answered by the people it names, else its unit's members (and admins); managers and
# admins are the working group that scores, returns and accepts items; a manager (the head)
# approves the whole round.


def can_manage_oit(user: User, agency: Agency) -> bool:
    """Tell whether the user starts the agency's OIT rounds and assigns their items (admins)."""
    return user.is_portal_admin and can_see_agency(user, agency)


def can_review_oit(user: User, agency: Agency) -> bool:
    """Tell whether the user scores, returns and accepts OIT items (the working group)."""
    return user.has_role(Role.MANAGER, Role.ADMIN) and can_see_agency(user, agency)


def can_approve_oit(user: User, agency: Agency) -> bool:
    """Tell whether the user approves the agency's whole OIT self-check (its head, a manager)."""
    return user.has_role(Role.MANAGER) and can_see_agency(user, agency)


def can_answer_oit_item(user: User, item: OitItem) -> bool:
    """Tell whether the user answers the item: its named people, else its unit's members; admins."""
    if not can_see_agency(user, item.round.agency):
        return False
    if user.is_portal_admin:
        return True
    if not user.has_role(Role.STAFF, Role.MANAGER):
        return False
    owners = {owner.pk for owner in item.owners.all()}
    if owners:
        return user.pk in owners
    return item.unit_id is not None and item.unit_id in user.unit_ids


def get_oit_round_for_user(user: User, year: int) -> OitRound:
    """Return the OIT round of that year of the user's agency; 404 otherwise."""
    rounds = OitRound.objects.for_user(user).select_related("agency", "version")
    return get_object_or_404(rounds, agency_id=user.agency_id, fiscal_year=year)


def get_rw_oit_agency_for_user(user: User) -> Agency:
    """Return the user's agency to start OIT rounds in; 404 without one, 403 unless its admin."""
    if user.agency_id is None:
        raise Http404
    if not can_manage_oit(user, user.agency):
        raise PermissionDenied
    return user.agency


def get_oit_item_for_user(user: User, pk: int) -> OitItem:
    """Return an OIT item of a round the user may read, with its round; 404 otherwise."""
    items = (
        OitItem.objects.for_user(user)
        .select_related("round__agency", "round__version", "question__sub_indicator", "unit")
        .prefetch_related("owners")
    )
    return get_object_or_404(items, pk=pk)


def get_rw_oit_item_for_user(user: User, pk: int) -> OitItem:
    """Return the item like get_oit_item_for_user, or 403 unless the user answers it."""
    item = get_oit_item_for_user(user, pk)
    if not can_answer_oit_item(user, item):
        raise PermissionDenied
    return item


def get_oit_file_for_user(user: User, pk: int) -> OitFile:
    """Return a file of an OIT item the user may read; 404 otherwise."""
    files = OitFile.objects.for_user(user).select_related("item__round__agency")
    return get_object_or_404(files, pk=pk)


def get_rw_oit_file_for_user(user: User, pk: int) -> OitFile:
    """Return the file like get_oit_file_for_user, or 403 unless the user answers its item."""
    attachment = get_oit_file_for_user(user, pk)
    if not can_answer_oit_item(user, attachment.item):
        raise PermissionDenied
    return attachment


# --- surveys --------------------------------------------------------------------------------------
# An agency's admins prepare, open and close its survey rounds and hand out codes; its staff and
# managers read the status and the results (a unit's only from SURVEY_MIN_RESPONDENTS answers up),
# and take telephone interviews for EIT rounds. Respondents answer at /s/<code>/ without logging
# in: the link code itself is the permission (surveys.views.public), and it opens one unit's form
# only while its round is open; nothing there shows another agency's data.


def get_survey_for_user(user: User, pk: int):
    """Return a survey round of the user's agency (readers: staff, managers, admins); else 404."""
    from surveys.models import SurveyRound

    if not user.has_role(Role.STAFF, Role.MANAGER, Role.ADMIN):
        raise PermissionDenied
    return get_object_or_404(
        SurveyRound.objects.for_user(user).select_related(
            "agency", "instrument__version", "run_by"
        ),
        pk=pk,
    )


def get_rw_survey_for_user(user: User, pk: int):
    """Return a survey round the user runs (the agency's admins); 404 or 403 otherwise."""
    survey = get_survey_for_user(user, pk)
    if not can_see_agency(user, survey.agency) or not user.is_portal_admin:
        raise PermissionDenied
    return survey


def get_survey_unit_for_user(user: User, survey_pk: int, pk: int, *, write: bool = False):
    """Return a unit of a round of the user's agency (write: the admins'); 404 or 403."""
    from surveys.models import SurveyUnit

    survey = (get_rw_survey_for_user if write else get_survey_for_user)(user, survey_pk)
    entry = get_object_or_404(SurveyUnit.objects.select_related("unit"), round=survey, pk=pk)
    entry.round = survey
    return entry

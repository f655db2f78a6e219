"""The measures section of ita_portal/access.py: who reads and who changes plans and reports."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from ita_portal import access
from measures.models import Activity, Evidence, Plan, ProgressReport
from tests.measures.builders import PlanWorld, make_plan, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return PlanWorld(personas)


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.go.th", "x" * 20)


def test_for_user_keeps_each_agency_to_its_own(personas, world, root):
    make_plan(personas.other_agency, 2564)
    assert list(Plan.objects.for_user(personas.staff)) == [world.plan]
    assert Plan.objects.for_user(personas.outsider).get().agency == personas.other_agency
    assert Plan.objects.for_user(root).count() == 2
    assert not Activity.objects.for_user(personas.outsider).exists()
    assert Activity.objects.for_user(personas.staff).count() == 2


def test_a_superuser_reads_another_agency_plan_by_its_code(personas, world, root):
    other = make_plan(personas.other_agency, 2564)
    assert access.get_plan_for_user(root, 2564, "diw") == other
    assert access.get_plan_for_user(root, 2564, "oie") == world.plan
    with pytest.raises(Http404):
        access.get_plan_for_user(personas.admin, 2564, "diw")
    assert access.get_plan_for_user(personas.admin, 2564) == world.plan


def test_only_the_agency_admins_change_a_plan(personas, world):
    assert access.get_rw_plan_for_user(personas.admin, 2564) == world.plan
    for user in (personas.staff, personas.manager):
        with pytest.raises(PermissionDenied):
            access.get_rw_plan_for_user(user, 2564)
    with pytest.raises(Http404):
        access.get_rw_plan_for_user(personas.outsider_admin, 2564, "oie")


def test_members_of_its_units_and_admins_write_an_activity_reports(personas, world):
    pk = world.activity.pk  # of กพบ.
    assert access.get_rw_activity_for_user(personas.staff, pk) == world.activity
    assert access.get_rw_activity_for_user(personas.admin, pk) == world.activity
    for user in (personas.other_staff, personas.manager):
        with pytest.raises(PermissionDenied):
            access.get_rw_activity_for_user(user, pk)
    with pytest.raises(Http404):
        access.get_rw_activity_for_user(personas.outsider, pk)


def test_managers_and_admins_review_reports(personas, world):
    report = make_report(world.activity, world.round, state="submitted")
    for user in (personas.manager, personas.admin):
        assert access.get_report_to_review_for_user(user, report.pk) == report
    with pytest.raises(PermissionDenied):
        access.get_report_to_review_for_user(personas.staff, report.pk)
    with pytest.raises(Http404):
        access.get_report_to_review_for_user(personas.outsider, report.pk)


def test_a_draft_is_read_by_its_units_and_the_reviewers_only(personas, world):
    report = make_report(world.activity, world.round)
    evidence = Evidence.objects.create(report=report, url="https://example.go.th/e")
    for user in (personas.staff, personas.manager, personas.admin):
        assert access.get_report_for_user(user, report.pk) == report
        assert access.get_evidence_for_user(user, evidence.pk) == evidence
    with pytest.raises(Http404):
        access.get_report_for_user(personas.other_staff, report.pk)
    with pytest.raises(Http404):
        access.get_evidence_for_user(personas.other_staff, evidence.pk)
    ProgressReport.objects.filter(pk=report.pk).update(state="submitted")
    assert access.get_report_for_user(personas.other_staff, report.pk).pk == report.pk


def test_another_unit_may_not_change_a_report_or_its_evidence(personas, world):
    report = make_report(world.activity, world.round, state="submitted")
    evidence = Evidence.objects.create(report=report, url="https://example.go.th/e")
    with pytest.raises(PermissionDenied):
        access.get_rw_report_for_user(personas.other_staff, report.pk)
    with pytest.raises(PermissionDenied):
        access.get_rw_evidence_for_user(personas.other_staff, evidence.pk)
    assert access.get_rw_evidence_for_user(personas.staff, evidence.pk) == evidence


def test_a_user_without_an_agency_starts_no_plan(db):
    loner = User.objects.create_user("loner", password="x" * 20)
    with pytest.raises(Http404):
        access.get_rw_plans_agency_for_user(loner)

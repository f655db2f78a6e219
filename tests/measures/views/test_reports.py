"""Writing, submitting and reviewing a progress report."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures.models import ProgressReport
from tests.measures.builders import PlanWorld, make_report, pdf_upload
from tests.measures.views.helpers import as_user, report_post, report_url

pytestmark = pytest.mark.django_db


def test_it_lets_staff_of_the_unit_write_a_report(client, personas, world):
    as_user(client, personas.staff)
    page = client.get(report_url(world))
    assert b'data-testid="report-form"' in page.content
    response = client.post(
        report_url(world), report_post(steps_done=[world.activity.steps.first().pk])
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.percent, report.results, report.state) == (40, "ผลงาน", "draft")
    assert report.steps_done.count() == 1
    page = client.get(report_url(world)).content.decode()
    assert "ผลงาน" in page and 'data-testid="history"' in page
    steps = [step.pk for step in world.activity.steps.all()]
    client.post(report_url(world), report_post(version=1, percent="70", steps_done=steps))
    history = client.get(report_url(world)).context["history"]
    changes = {c.field: (c.old, c.new) for c in history[0].changes}
    assert changes["ความก้าวหน้า (ร้อยละ)"] == ("40", "70")
    assert changes["ขั้นตอนที่ดำเนินการแล้ว"] == ("1", "1, 2")
    assert history[0].user == personas.staff


def test_it_accepts_thai_digits_for_the_percent(client, personas, world):
    as_user(client, personas.staff)
    client.post(report_url(world), report_post(percent="๗๕"))
    assert ProgressReport.objects.get().percent == 75


@pytest.mark.parametrize("percent", ["101", "-1", "abc", ""])
def test_it_rejects_a_bad_percent(client, personas, world, percent):
    as_user(client, personas.staff)
    response = client.post(report_url(world), report_post(percent=percent))
    assert response.status_code == 400
    assert b'data-testid="error-percent"' in response.content
    assert not ProgressReport.objects.exists()


def test_it_refuses_staff_of_another_unit(client, personas, world):
    as_user(client, personas.other_staff)
    page = client.get(report_url(world))
    assert page.status_code == 200 and b'data-testid="report-form"' not in page.content
    assert client.post(report_url(world), report_post()).status_code == 403
    report = make_report(world.activity, world.round)
    response = client.post(report_url(world), report_post(version=1, and_submit="1"))
    assert response.status_code == 403
    url = reverse("measures:evidence_add", args=[report.pk])
    assert client.post(url, {"file": pdf_upload()}).status_code == 403
    assert not report.evidence.exists()


def test_it_refuses_changes_in_a_locked_round(client, personas):
    world = PlanWorld(personas, locked=True)
    report = make_report(world.activity, world.round)
    as_user(client, personas.staff)
    page = client.get(report_url(world))
    assert b'data-testid="report-form"' not in page.content
    assert b'data-testid="round-locked"' in page.content
    client.post(report_url(world), report_post(version=1, results="เปลี่ยน"))
    client.post(report_url(world), report_post(version=1, and_submit="1"))
    client.post(reverse("measures:evidence_add", args=[report.pk]), {"file": pdf_upload()})
    report.refresh_from_db()
    assert (report.results, report.state, report.version) == ("เริ่มแล้ว", "draft", 1)
    assert not report.evidence.exists()
    report.state = "submitted"
    report.save()
    as_user(client, personas.manager)
    client.post(reverse("measures:report_approve", args=[report.pk]), {"version": 1})
    report.refresh_from_db()
    assert report.state == "submitted"


def test_it_refuses_the_second_of_two_concurrent_saves_and_loses_neither(client, personas, world):
    as_user(client, personas.staff)
    client.post(report_url(world), report_post(results="ร่างแรก"))
    # Two sessions load version 1; the admin (also of กพบ.) saves first.
    as_user(client, personas.admin)
    client.post(report_url(world), report_post(version=1, results="ของผู้ดูแล"))
    as_user(client, personas.staff)
    response = client.post(report_url(world), report_post(version=1, results="ของเจ้าหน้าที่"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "ของผู้ดูแล" in html  # the other change is shown
    assert "ของเจ้าหน้าที่" in html  # the refused text is kept in the form
    assert 'name="version" value="2"' in html
    assert ProgressReport.objects.get().results == "ของผู้ดูแล"
    # Saving again, now on top of the current version, succeeds.
    response = client.post(report_url(world), report_post(version=2, results="รวมกัน"))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.results, report.version) == ("รวมกัน", 3)
    results = [h.results for h in report.history.order_by("history_id")]
    assert results == ["ร่างแรก", "ของผู้ดูแล", "รวมกัน"]


def test_it_runs_submit_return_and_approve_through_the_views(client, personas, world):
    report = make_report(world.activity, world.round)
    as_user(client, personas.staff)
    client.post(report_url(world), report_post(version=1, and_submit="1"))
    report.refresh_from_db()
    assert (report.state, report.results, report.version) == ("submitted", "ผลงาน", 3)
    page = client.get(report_url(world))
    assert b'data-testid="report-form"' not in page.content
    assert (
        client.post(
            reverse("measures:report_approve", args=[report.pk]), {"version": 3}
        ).status_code
        == 403
    )
    as_user(client, personas.manager)
    page = client.get(report_url(world))
    assert b'data-testid="report-approve"' in page.content
    client.post(reverse("measures:report_return", args=[report.pk]), {"version": 3, "comment": ""})
    report.refresh_from_db()
    assert report.state == "submitted"  # a return needs a comment
    client.post(
        reverse("measures:report_return", args=[report.pk]), {"version": 3, "comment": "แก้ไข"}
    )
    report.refresh_from_db()
    assert (report.state, report.review_comment) == ("returned", "แก้ไข")
    response = client.post(
        reverse("measures:report_approve", args=[report.pk]), {"version": "x"}, follow=True
    )
    assert "alert-danger" in response.content.decode()  # refused with the form's message
    report.refresh_from_db()
    assert report.state == "returned"


def test_it_hides_the_approve_button_from_the_one_who_submitted(client, personas, world):
    as_user(client, personas.admin)  # the admin is also of กพบ., the unit of 1.1
    client.post(report_url(world), report_post(and_submit="1"))
    report = ProgressReport.objects.get()
    page = client.get(report_url(world)).content.decode()
    assert 'data-testid="approval-refused"' in page and 'data-testid="report-approve"' not in page
    approve = reverse("measures:report_approve", args=[report.pk])
    response = client.post(approve, {"version": report.version}, follow=True)
    assert "ท่านเป็นผู้เขียนหรือผู้ส่งรายงานนี้" in response.content.decode()
    report.refresh_from_db()
    assert (report.state, report.reviewed_by) == ("submitted", None)
    as_user(client, personas.manager)
    client.post(approve, {"version": report.version})
    report.refresh_from_db()
    assert (report.state, report.reviewed_by, report.submitted_by) == (
        "approved",
        personas.manager,
        personas.admin,
    )


def test_it_refuses_a_too_long_result_keeping_the_text_and_saving_nothing(client, personas, world):
    as_user(client, personas.staff)
    response = client.post(report_url(world), report_post(results="ก" * 5001))
    assert response.status_code == 400
    html = response.content.decode()
    assert "ผลการดำเนินงาน ยาวได้ไม่เกิน 5,000 ตัวอักษร (ข้อความนี้มี 5,001 ตัวอักษร)" in html
    assert not ProgressReport.objects.exists()


def test_it_saves_nothing_when_save_and_submit_fails(client, personas, world, monkeypatch):
    def refuse(self, **kwargs):
        raise ValidationError("ส่งไม่ได้", code="report_state")

    monkeypatch.setattr(ProgressReport, "submit", refuse)
    as_user(client, personas.staff)
    response = client.post(report_url(world), report_post(and_submit="1"), follow=True)
    assert "ส่งไม่ได้" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_it_shows_a_draft_only_to_its_units_and_the_reviewers(client, personas, world):
    make_report(world.activity, world.round, results="ร่างของ กพบ.")
    for user in (personas.staff, personas.manager, personas.admin):
        as_user(client, user)
        assert "ร่างของ กพบ." in client.get(report_url(world)).content.decode(), user
    as_user(client, personas.other_staff)
    page = client.get(report_url(world)).content.decode()
    assert "ร่างของ กพบ." not in page and 'data-testid="hidden-draft"' in page
    activity = client.get(reverse("measures:activity", args=[world.activity.pk])).content.decode()
    assert "ร่าง" not in activity.split('data-testid="activity-rounds"')[1]

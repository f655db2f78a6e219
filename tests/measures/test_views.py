"""Every measures view: works / requires login / refuses the wrong role or unit / bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import Evidence, Plan, ProgressReport
from tests.assessments.builders import make_oie_2563
from tests.measures.builders import PlanWorld, make_report, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return PlanWorld(personas)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def as_user(client, user):
    client.force_login(user)
    return client


def report_url(world, activity=None):
    return reverse("measures:report", args=[(activity or world.activity).pk, world.round.pk])


def report_post(version=0, **fields):
    data = {
        "status": "in_progress",
        "percent": "40",
        "results": "ผลงาน",
        "obstacles": "",
        "next_steps": "",
        "version": str(version),
    }
    data.update(fields)
    return data


def all_get_urls(world, report, evidence):
    year = world.plan.fiscal_year
    return [
        reverse("measures:index"),
        reverse("measures:plan", args=[year]),
        reverse("measures:dashboard", args=[year]),
        reverse("measures:activity", args=[world.activity.pk]),
        report_url(world),
        reverse("measures:evidence", args=[evidence.pk]),
    ]


def test_it_sends_anonymous_users_to_login_everywhere_but_the_public_page(client, world):
    report = make_report(world.activity, world.round)
    evidence = Evidence.objects.create(report=report, url="https://example.go.th/a")
    for url in all_get_urls(world, report, evidence):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    for name in ["report_approve", "report_return", "evidence_add"]:
        response = client.post(reverse(f"measures:{name}", args=[report.pk]), {"version": 1})
        assert response.status_code == 302 and "/accounts/login/" in response.url
    world.plan.is_published = True
    world.plan.save()
    assert client.get(reverse("public:plan", args=["oie", 2564])).status_code == 200


def test_it_hides_every_page_from_other_agencies(client, personas, world):
    report = make_report(world.activity, world.round)
    evidence = Evidence.objects.create(report=report, url="https://example.go.th/a")
    as_user(client, personas.outsider_admin)
    for url in all_get_urls(world, report, evidence)[1:]:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("measures:report_approve", args=[report.pk]), {"version": 1})
    assert response.status_code == 404


def test_it_shows_the_plan_and_redirects_the_index_to_it(client, personas, world):
    world.plan.is_published = True
    world.plan.save()
    as_user(client, personas.staff)
    response = client.get(reverse("measures:index"))
    assert response.url == reverse("measures:plan", args=[2564])
    response = client.get(response.url)
    assert response.status_code == 200
    assert "กิจกรรม 1.1" in response.content.decode()
    assert client.get(reverse("measures:plan", args=[2599])).status_code == 404


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


def test_it_uploads_and_serves_evidence_only_inside_the_agency(client, personas, world):
    report = make_report(world.activity, world.round)
    as_user(client, personas.staff)
    client.post(reverse("measures:evidence_add", args=[report.pk]), {"file": pdf_upload()})
    evidence = report.evidence.get()
    assert evidence.file.name.startswith("evidence/") and "หลักฐาน" not in evidence.file.name
    history = client.get(report_url(world)).content.decode()
    assert "เพิ่มหลักฐาน: หลักฐาน.pdf" in history
    as_user(client, personas.other_staff)
    # A draft's evidence is for its units and the reviewers; once submitted, for the agency.
    assert client.get(reverse("measures:evidence", args=[evidence.pk])).status_code == 404
    ProgressReport.objects.filter(pk=report.pk).update(state="submitted")
    response = client.get(reverse("measures:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    as_user(client, personas.outsider)
    assert client.get(reverse("measures:evidence", args=[evidence.pk])).status_code == 404


def test_it_refuses_bad_uploads(client, personas, world, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    report = make_report(world.activity, world.round)
    as_user(client, personas.staff)
    url = reverse("measures:evidence_add", args=[report.pk])
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\0" * 100)
    big = pdf_upload(content=b"%PDF-1.4\n" + b"0" * 4096)
    traversal = pdf_upload(name="../../../etc/evil.pdf")
    for upload in (exe, big):
        response = client.post(url, {"file": upload}, follow=True)
        assert response.status_code == 200
        assert not report.evidence.exists()
    client.post(url, {"file": traversal})
    # Django's parser keeps only the base name; the file is stored under a generated name.
    evidence = report.evidence.get()
    assert evidence.original_name == "evil.pdf"
    assert evidence.file.name.startswith("evidence/") and "evil" not in evidence.file.name
    assert client.post(url, {}).status_code == 302
    assert report.evidence.count() == 1


def test_it_removes_evidence_for_editors_only(client, personas, world):
    report = make_report(world.activity, world.round)
    evidence = Evidence.objects.create(report=report, url="https://example.go.th/a")
    url = reverse("measures:evidence_delete", args=[evidence.pk])
    as_user(client, personas.other_staff)
    assert client.post(url).status_code == 403
    as_user(client, personas.staff)
    assert client.post(url).status_code == 302
    assert not report.evidence.exists()


def test_it_shows_the_dashboard(client, personas, world):
    make_report(world.activity, world.round, state="approved", status="done", percent=100)
    as_user(client, personas.manager)
    response = client.get(reverse("measures:dashboard", args=[2564]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="by-measure"' in html and "กิจกรรม 1.2" in html


def test_it_lets_only_admins_build_the_plan(client, personas, world):
    year = world.plan.fiscal_year
    urls = [
        reverse("measures:plan_create"),
        reverse("measures:plan_edit", args=[year]),
        reverse("measures:measure_create", args=[year]),
        reverse("measures:measure_edit", args=[year, world.measure.pk]),
        reverse("measures:round_create", args=[year]),
        reverse("measures:round_edit", args=[year, world.round.pk]),
        reverse("measures:activity_create", args=[world.measure.pk]),
        reverse("measures:activity_edit", args=[world.measure.pk, world.activity.pk]),
    ]
    posts = [
        reverse("measures:plan_publish", args=[year]),
        reverse("measures:plan_unpublish", args=[year]),
        reverse("measures:plan_copy", args=[year]),
        reverse("measures:round_lock", args=[year, world.round.pk]),
        reverse("measures:round_unlock", args=[year, world.round.pk]),
        reverse("measures:plan_draft"),
    ]
    for user in (personas.staff, personas.manager):
        as_user(client, user)
        for url in urls + posts:
            method = client.post if url in posts else client.get
            assert method(url).status_code == 403, (user, url)
    as_user(client, personas.admin)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_it_builds_a_plan_in_the_portal(client, personas):
    as_user(client, personas.admin)
    response = client.post(
        reverse("measures:plan_create"), {"fiscal_year": "2566", "title_th": "แผน 2566"}
    )
    assert response.url == reverse("measures:plan", args=[2566])
    plan = Plan.objects.get(fiscal_year=2566)
    assert plan.rounds.count() == 2
    response = client.post(
        reverse("measures:measure_create", args=[2566]),
        {"number": "1", "title_th": "มาตรการใหม่", "indicators_text": "๓, 4"},
    )
    measure = plan.measures.get()
    assert measure.indicators == [3, 4]
    response = client.post(
        reverse("measures:activity_create", args=[measure.pk]),
        {
            "number": "1.1",
            "title_th": "กิจกรรมใหม่",
            "lead_unit": personas.unit.pk,
            "units": [personas.other_unit.pk],
            "deadline": "31/03/2566",
            "cadence": "quarterly",
            "steps_text": "ขั้นแรก\n\nขั้นสอง\n",
        },
    )
    activity = measure.activities.get()
    assert response.url == reverse("measures:activity", args=[activity.pk])
    assert [s.text_th for s in activity.steps.all()] == ["ขั้นแรก", "ขั้นสอง"]
    assert set(activity.units.all()) == {personas.unit, personas.other_unit}
    response = client.post(
        reverse("measures:activity_create", args=[measure.pk]),
        {"number": "1.2", "title_th": "x", "lead_unit": personas.foreign_unit.pk},
    )
    assert response.status_code == 400
    round_ = plan.rounds.first()
    response = client.post(
        reverse("measures:round_edit", args=[2566, round_.pk]),
        {
            "number": "1",
            "name_th": "รอบ 6 เดือน",
            "period_start": "01/10/2565",
            "period_end": "31/03/2566",
            "opens_on": "20/04/2566",
            "due_on": "10/04/2566",
        },
    )
    assert response.status_code == 400 and b'data-testid="error-due_on"' in response.content
    client.post(reverse("measures:round_lock", args=[2566, round_.pk]))
    round_.refresh_from_db()
    assert round_.is_locked and round_.locked_by == personas.admin


def test_it_publishes_and_the_public_page_shows_approved_progress_only(client, personas, world):
    make_report(world.activity, world.round, state="approved", percent=80, results="อนุมัติแล้ว")
    make_report(world.other_activity, world.round, state="submitted", results="ยังไม่อนุมัติ")
    public_url = reverse("public:plan", args=["oie", 2564])
    assert client.get(public_url).status_code == 404
    as_user(client, personas.admin)
    client.post(reverse("measures:plan_publish", args=[2564]))
    client.logout()
    html = client.get(public_url).content.decode()
    assert "อนุมัติแล้ว" in html and "ยังไม่อนุมัติ" not in html
    assert "กิจกรรม 1.1" in html and personas.unit.code in html
    assert client.get(reverse("public:plan", args=["diw", 2564])).status_code == 404


def test_it_copies_a_plan_from_the_plan_page(client, personas, world):
    as_user(client, personas.admin)
    response = client.post(reverse("measures:plan_copy", args=[2564]))
    assert response.url == reverse("measures:plan", args=[2565])
    response = client.post(reverse("measures:plan_copy", args=[2564]))
    assert response.url == reverse("measures:plan", args=[2564])


def test_it_drafts_a_plan_from_an_assessment(client, personas):
    assessment = make_oie_2563(personas.agency)
    as_user(client, personas.admin)
    assert b'data-testid="plan-draft"' in client.get(reverse("measures:index")).content
    response = client.post(reverse("measures:plan_draft"), {"assessment": assessment.pk})
    assert response.url == reverse("measures:plan", args=[2564])
    assert client.post(reverse("measures:plan_draft"), {"assessment": "x"}).status_code == 400


def test_it_serves_the_dashboard_with_the_same_queries_for_5_or_200_activities(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.measures.test_selectors import grow

    as_user(client, personas.manager)
    counts = []
    for year, size in ((2563, 5), (2564, 200)):
        world = PlanWorld(personas, year=year)
        grow(world, personas, size)
        url = reverse("measures:dashboard", args=[year])
        client.get(url)  # warm the session and translation caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # session, user, plan, the selector's 4 (rounds, activities, units, reports), the
    # agency's plans for the year switcher, then the navbar's role groups and the user's agency
    assert counts == [10, 10]


def test_it_links_a_measure_to_the_weak_questions_of_its_assessment(client, personas):
    assessment = make_oie_2563(personas.agency)
    plan = Plan.objects.create(
        agency=personas.agency, fiscal_year=2564, title_th="แผน", based_on=assessment
    )
    question = assessment.version.questions.get(code="I14")
    as_user(client, personas.admin)
    page = client.get(reverse("measures:measure_create", args=[2564])).content.decode()
    assert "I14" in page and "O1 " not in page
    client.post(
        reverse("measures:measure_create", args=[2564]),
        {"number": "1", "title_th": "มาตรการ", "questions": [question.pk]},
    )
    assert list(plan.measures.get().questions.all()) == [question]
    assert list(question.measures.all()) == [plan.measures.get()]


def test_it_hides_plan_building_from_admins_of_other_agencies(client, personas, world):
    year = world.plan.fiscal_year
    as_user(client, personas.outsider_admin)
    gets = [
        reverse("measures:plan_edit", args=[year]),
        reverse("measures:measure_edit", args=[year, world.measure.pk]),
        reverse("measures:activity_edit", args=[world.measure.pk, world.activity.pk]),
        reverse("measures:round_edit", args=[year, world.round.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("measures:plan_publish", args=[year]),
        reverse("measures:plan_copy", args=[year]),
        reverse("measures:round_lock", args=[year, world.round.pk]),
    ]
    for url in posts:
        assert client.post(url).status_code == 404, url
    world.plan.refresh_from_db()
    world.round.refresh_from_db()
    assert not world.plan.is_published and not world.round.is_locked

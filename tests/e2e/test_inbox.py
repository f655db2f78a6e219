"""Journeys: a returned report reaches its writer on the home page, who fixes and resubmits it;
the manager finds it in the inbox and approves; the right people got each e-mail once, in Thai.
Every page of the inbox, notifications and plan details fits a phone and a desktop."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from measures.models import Plan, ProgressReport
from notifications.models import Notification
from notifications.services import notify
from tests.base import Personas
from tests.demo import load_demo
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_measures import DESKTOP, PHONE, fits_the_width, switch_user
from tests.measures.builders import make_activity, make_measure, make_plan, make_round


def mails_to(username: str) -> list[str]:
    address = f"{username}@oie.example"
    return [m.subject for m in mail.outbox if m.to == [address]]


@pytest.mark.django_db(transaction=True)
def test_a_returned_report_goes_back_and_forth_through_the_inboxes(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_URL = "https://ita.oie.example"
    p = Personas()
    for user in (p.staff, p.manager, p.admin, p.other_staff):
        user.email = f"{user.username}@oie.example"
        user.save()
    plan = make_plan(p.agency, 2564, title_th="มาตรการส่งเสริมคุณธรรม 2564")
    today = timezone.localdate()
    make_round(
        plan, 1, opens_on=today - dt.timedelta(days=10), due_on=today + dt.timedelta(days=20)
    )
    measure = make_measure(plan, 4, title_th="มาตรการเพิ่มประสิทธิภาพการสื่อสาร")
    make_activity(measure, "4.1", p.unit, steps=2, title_th="เผยแพร่แผนการใช้จ่ายงบประมาณ")

    # The staff member finds the report due on the home page and submits it.
    login(page, "staff")
    expect(page.get_by_test_id("inbox-due")).to_contain_text("4.1")
    expect(page.get_by_test_id("work-count")).to_have_text("1")
    page.get_by_test_id("inbox-due").get_by_test_id("inbox-open").click()
    page.select_option("select[name=status]", "in_progress")
    page.fill("input[name=percent]", "60")
    page.fill("textarea[name=results]", "จัดทำ Infographic แผนการใช้จ่ายงบประมาณแล้ว")
    page.get_by_test_id("report-save-submit").click()
    expect(page.get_by_test_id("report-state")).to_have_text("ส่งแล้ว")

    # The manager finds it waiting for review and returns it with a comment.
    switch_user(page, "manager")
    expect(page.get_by_test_id("inbox-review")).to_contain_text("4.1")
    screenshot(page, "inbox-manager-review")
    page.get_by_test_id("inbox-review").get_by_test_id("inbox-open").click()
    page.get_by_test_id("review-comment-input").fill("โปรดระบุจำนวนครั้งที่เผยแพร่")
    page.get_by_test_id("report-return").click()
    expect(page.get_by_test_id("report-state")).to_have_text("ส่งกลับแก้ไข")

    # The staff member sees it returned, with the comment, on the home page and in the list.
    switch_user(page, "staff")
    returned = page.get_by_test_id("inbox-returned")
    expect(returned.get_by_test_id("inbox-comment")).to_contain_text("จำนวนครั้งที่เผยแพร่")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    screenshot(page, "inbox-staff-returned")
    page.get_by_test_id("nav-notifications").click()
    page.get_by_test_id("nav-notification-list").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("ส่งรายงานของกิจกรรม 4.1")
    expect(page.get_by_test_id("notification-comment")).to_contain_text("จำนวนครั้ง")
    screenshot(page, "notifications-staff")
    page.get_by_test_id("notification-open").click()
    expect(page.get_by_test_id("review-comment")).to_contain_text("จำนวนครั้งที่เผยแพร่")
    page.fill("input[name=percent]", "80")
    page.fill("textarea[name=results]", "เผยแพร่ Infographic ทางไลน์กลุ่ม 3 ครั้ง")
    page.get_by_test_id("report-save-submit").click()
    expect(page.get_by_test_id("report-state")).to_have_text("ส่งแล้ว")
    page.goto("/")
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()

    # The manager finds it in the inbox again and approves it.
    switch_user(page, "manager")
    page.get_by_test_id("inbox-review").get_by_test_id("inbox-open").click()
    page.get_by_test_id("report-approve").click()
    expect(page.get_by_test_id("report-state")).to_have_text("อนุมัติแล้ว")
    page.goto("/")
    expect(page.get_by_test_id("inbox-review")).to_have_count(0)
    assert ProgressReport.objects.get().state == "approved"

    # Each e-mail reached the right people once, in Thai, with a link into the portal.
    assert mails_to("manager") == [
        "[ITA] staff ส่งรายงานของกิจกรรม 4.1 (รอบ 6 เดือน) ให้พิจารณา",
        "[ITA] staff ส่งรายงานของกิจกรรม 4.1 (รอบ 6 เดือน) ให้พิจารณา",
    ]
    returned_mail = "[ITA] manager ส่งรายงานของกิจกรรม 4.1 (รอบ 6 เดือน) กลับให้แก้ไข"
    approved_mail = "[ITA] manager อนุมัติรายงานของกิจกรรม 4.1 (รอบ 6 เดือน) แล้ว"
    assert mails_to("staff") == [returned_mail, approved_mail]
    # The admin reviews and belongs to กพบ.: told of both submissions and both decisions.
    assert sorted(mails_to("admin")) == sorted(
        [mails_to("manager")[0], mails_to("manager")[1], returned_mail, approved_mail]
    )
    assert mails_to("staff2") == []  # not of the activity's units, nor a reviewer
    body = next(
        m.body for m in mail.outbox if m.subject == returned_mail and m.to[0][:5] == "staff"
    )
    assert "เรียน staff" in body and "ความเห็น: โปรดระบุจำนวนครั้งที่เผยแพร่" in body
    assert "https://ita.oie.example/measures/activity/" in body


@pytest.mark.django_db(transaction=True)
def test_the_admin_builds_an_activity_as_a_thai_plan_writes_it(page):
    p = Personas()
    plan = make_plan(p.agency, 2564, title_th="มาตรการ 2564")
    make_round(plan, 1)
    measure = make_measure(plan, 1)
    activity = make_activity(measure, "1.1", p.unit)
    login(page, "admin")
    page.goto(f"/measures/measure/{measure.pk}/activities/{activity.pk}/edit/")
    page.fill("input[name=budget_planned]", "๑๕๐,๐๐๐")
    page.fill("input[name=budget_spent]", "20,500.50")
    for month in ("10", "11", "12", "1", "2", "3"):
        page.locator(f"input[name=months][value='{month}']").check()
    page.select_option("select[name=owners]", [str(p.other_staff.pk)])
    page.fill("input[name=indicator_1_name]", "ร้อยละของบุคลากรที่รับทราบหลักเกณฑ์การประเมิน")
    page.fill("input[name=indicator_1_target]", "ร้อยละ 80")
    screenshot(page, "activity-form-thai-plan")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("activity-budget")).to_contain_text("150,000.00")
    expect(page.get_by_test_id("activity-owners")).to_contain_text("staff2")
    expect(page.get_by_test_id("activity-indicators")).to_contain_text("ร้อยละ 80")
    expect(page.get_by_test_id("timeline").locator("[data-on]")).to_have_count(6)
    page.goto("/measures/2564/")
    expect(page.get_by_test_id("budget-1.1")).to_contain_text("150,000.00 บาท")
    expect(page.get_by_test_id("timeline")).to_be_visible()
    screenshot(page, "plan-thai-details")
    assert Notification.objects.get().recipient == p.other_staff  # named an owner


@pytest.mark.django_db(transaction=True)
def test_every_new_page_fits_a_phone_and_a_desktop_in_thai_and_english(page):
    load_demo()
    plan = Plan.objects.get(agency__code="oie", fiscal_year=2564)
    activity = plan.measures.get(number=1).activities.get()
    activity.months = [10, 11, 12, 1, 2, 3]
    activity.budget_planned = 150000
    activity.save()
    activity.indicators.create(order=1, name_th="ร้อยละของบุคลากรที่รับทราบ", target="ร้อยละ 80")
    admin = User.objects.get(username="admin")
    notify(
        recipients=[admin],
        kind=Notification.Kind.RETURNED,
        params={
            "actor": "manager",
            "activity": "1.1",
            "title_th": activity.title_th,
            "round_th": "รอบ 6 เดือน",
            "comment": "โปรดแนบหลักฐานการเผยแพร่ทางเว็บไซต์",
        },
        link=f"/measures/activity/{activity.pk}/",
    )
    round_ = plan.rounds.get(number=1)
    second = plan.rounds.get(number=2)
    approved = ProgressReport.objects.get(activity=activity, round=round_)
    approved.evidence.create(
        url="https://www.oie.go.th/view/1/ประกาศหลักเกณฑ์การประเมินผลการปฏิบัติงาน",
        effective_on=dt.date(2021, 3, 31),
    )
    ProgressReport.objects.create(activity=activity, round=second, results="ร่างรอบ 12 เดือน")
    pages = {
        "home": "/",
        "notifications": "/notifications/",
        "preferences": "/notifications/settings/",
        "dashboard-filtered": f"/measures/2564/dashboard/?round={round_.pk}&status=none",
        "activity-form": f"/measures/measure/{activity.measure_id}/activities/{activity.pk}/edit/",
        "activity-details": f"/measures/activity/{activity.pk}/",
        "plan-details": "/measures/2564/",
        "report-earlier-evidence": f"/measures/activity/{activity.pk}/round/{second.pk}/",
    }
    login(page, "admin", "ita-demo-2564")
    for language in ("th", "en"):
        if language == "en":
            page.set_viewport_size(DESKTOP)
            page.click("button[name=language][value=en]")
        for size_name, size in (("1366", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(size)
            for name, url in pages.items():
                page.goto(url)
                expect(page.locator("main h1").first).to_be_visible()
                screenshot(page, f"inbox-{name}-{language}-{size_name}")
                assert fits_the_width(page), f"{url} scrolls sideways at {size_name} px"
    page.goto("/")
    expect(page.get_by_test_id("inbox")).to_contain_text("My work")

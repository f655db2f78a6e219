"""Journeys: staff reports six-month progress with evidence; the manager returns, then approves;
the dashboard and the public page show approved work only. Every measures page fits a phone."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from measures.models import Plan, ProgressReport
from tests.base import Personas
from tests.demo import load_demo
from tests.e2e.conftest import login, screenshot
from tests.measures.builders import PDF_BYTES, make_activity, make_measure, make_plan, make_round

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def fits_the_width(page) -> bool:
    """Tell whether the page has nothing wider than the window (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_six_month_report_from_draft_to_public(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    p = Personas()
    plan = make_plan(p.agency, 2564, title_th="มาตรการส่งเสริมคุณธรรม 2564")
    today = timezone.localdate()
    round_ = make_round(  # open today, so /measures/ opens this plan
        plan, 1, opens_on=today - dt.timedelta(days=10), due_on=today + dt.timedelta(days=20)
    )
    measure = make_measure(plan, 4, title_th="มาตรการเพิ่มประสิทธิภาพการสื่อสาร")
    activity = make_activity(measure, "4.1", p.unit, [p.other_unit], steps=3)
    evidence = tmp_path / "infographic.pdf"
    evidence.write_bytes(PDF_BYTES)
    report_page = f"/measures/activity/{activity.pk}/round/{round_.pk}/"

    # Staff of กพบ. opens their activity and writes the report.
    login(page, "staff")
    page.get_by_test_id("nav-measures").click()
    page.locator("[data-testid='activity-row-4.1'] a").click()
    expect(page.get_by_test_id("activity-title")).to_contain_text("4.1")
    page.get_by_test_id("open-report-1").click()
    page.select_option("select[name=status]", "in_progress")
    page.fill("input[name=percent]", "60")
    page.locator("input[name=steps_done]").first.check()
    page.fill("textarea[name=results]", "จัดทำ Infographic แผนการใช้จ่ายงบประมาณแล้ว")
    page.fill("textarea[name=obstacles]", "ไม่มี")
    page.get_by_test_id("report-save").click()
    expect(page.get_by_test_id("report-state")).to_have_text("ร่าง")
    page.set_input_files("input[name=file]", str(evidence))
    page.get_by_test_id("evidence-add").click()
    expect(page.get_by_test_id("evidence-list")).to_contain_text("infographic.pdf")
    screenshot(page, "measures-report-draft")
    page.get_by_test_id("report-save-submit").click()
    expect(page.get_by_test_id("report-state")).to_have_text("ส่งแล้ว")

    # Awaiting review, it counts on the dashboard as such and is not averaged in.
    page.goto("/measures/2564/dashboard/")
    expect(page.get_by_test_id("by-measure")).to_contain_text("0.00%")
    expect(page.get_by_test_id("awaiting-total")).to_have_text("รออนุมัติ 1")

    # The manager returns it with a comment.
    switch_user(page, "manager")
    page.goto(report_page)
    page.get_by_test_id("review-comment-input").fill("โปรดระบุจำนวนครั้งที่เผยแพร่")
    page.get_by_test_id("report-return").click()
    expect(page.get_by_test_id("report-state")).to_have_text("ส่งกลับแก้ไข")

    # Staff corrects and resubmits.
    switch_user(page, "staff")
    page.goto(report_page)
    expect(page.get_by_test_id("review-comment")).to_contain_text("จำนวนครั้ง")
    page.fill("input[name=percent]", "80")
    page.fill(
        "textarea[name=results]", "จัดทำ Infographic แผนการใช้จ่ายงบประมาณ เผยแพร่ทางไลน์กลุ่ม 3 ครั้ง"
    )
    page.get_by_test_id("report-save-submit").click()
    expect(page.get_by_test_id("report-state")).to_have_text("ส่งแล้ว")
    expect(page.get_by_test_id("history")).to_contain_text("staff")
    expect(page.get_by_test_id("history")).to_contain_text("80")
    screenshot(page, "measures-report-resubmitted")

    # The manager approves; the dashboard shows it.
    switch_user(page, "manager")
    page.goto(report_page)
    page.get_by_test_id("report-approve").click()
    expect(page.get_by_test_id("report-state")).to_have_text("อนุมัติแล้ว")
    page.goto("/measures/2564/dashboard/")
    expect(page.get_by_test_id("by-measure")).to_contain_text("80.00%")
    screenshot(page, "measures-dashboard")
    report = ProgressReport.objects.get()
    assert (report.state, report.percent, report.evidence.count()) == ("approved", 80, 1)
    assert report.reviewed_by.username == "manager" and report.submitted_by.username == "staff"

    # The admin publishes; anyone sees the approved progress on the public page.
    switch_user(page, "admin")
    page.goto("/measures/2564/")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("published")).to_be_visible()
    page.context.clear_cookies()
    page.goto("/public/oie/2564/")
    approved = page.get_by_test_id("approved-4.1")
    expect(approved).to_contain_text("80%")
    expect(approved).to_contain_text("ไลน์กลุ่ม 3 ครั้ง")
    screenshot(page, "measures-public")


@pytest.mark.django_db(transaction=True)
def test_it_shows_the_demo_plan_to_the_admin_in_thai_and_english(page):
    load_demo()
    login(page, "admin", "ita-demo-2564")
    page.goto("/measures/")
    expect(page.get_by_test_id("plan-title")).to_contain_text("2564")
    expect(page.get_by_test_id("activity-row-5.2")).to_be_visible()
    expect(page.get_by_test_id("approved-4.1")).to_contain_text("รออนุมัติ 1")
    expect(page.get_by_test_id("approved-4.1")).not_to_contain_text("70%")
    expect(page.get_by_test_id("approved-5.1")).to_have_text("–")
    expect(page.get_by_test_id("approved-1.1")).to_contain_text("100%")
    screenshot(page, "measures-plan-demo-th")
    page.get_by_test_id("open-dashboard").click()
    expect(page.get_by_test_id("missing")).to_be_visible()
    expect(page.get_by_test_id("awaiting-total")).to_have_text("รออนุมัติ 1")
    screenshot(page, "measures-dashboard-demo-th")
    page.click("button[name=language][value=en]")
    page.goto("/measures/2564/")
    expect(page.get_by_test_id("measure-5")).to_contain_text("Tackling corruption")
    screenshot(page, "measures-plan-demo-en")


@pytest.mark.django_db(transaction=True)
def test_every_measures_page_fits_a_phone_and_a_desktop(page):
    load_demo()
    plan = Plan.objects.get(agency__code="oie", fiscal_year=2564)
    activity = plan.measures.get(number=4).activities.get()
    round_ = plan.rounds.get(number=1)
    measure = plan.measures.get(number=1)
    pages = {
        "index": "/measures/?all",
        "plan": "/measures/2564/",
        "dashboard": "/measures/2564/dashboard/",
        "activity": f"/measures/activity/{activity.pk}/",
        "report": f"/measures/activity/{activity.pk}/round/{round_.pk}/",
        "activity-form": f"/measures/measure/{measure.pk}/activities/new/",
        "round-form": f"/measures/2564/rounds/{round_.pk}/edit/",
        "plan-form": "/measures/2564/edit/",
        "plan-delete": "/measures/2564/delete/",
        "review-settings": "/measures/review-settings/",
    }
    login(page, "admin", "ita-demo-2564")
    for size_name, size in (("1366", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        for name, url in pages.items():
            page.goto(url)
            expect(page.locator("main h1")).to_be_visible()
            screenshot(page, f"measures-{name}-{size_name}")
            assert fits_the_width(page), f"{url} scrolls sideways at {size_name} px"
        page.goto("/measures/2564/dashboard/")
        bar = page.get_by_test_id("by-measure").locator(".progress").first
        expect(bar).to_be_visible()
        assert bar.bounding_box()["width"] >= 90, f"the progress bar shrank at {size_name} px"
    page.context.clear_cookies()
    for size_name, size in (("1366", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.goto("/public/oie/2564/")
        expect(page.get_by_test_id("public-title")).to_be_visible()
        screenshot(page, f"measures-public-{size_name}")
        assert fits_the_width(page), f"the public page scrolls sideways at {size_name} px"

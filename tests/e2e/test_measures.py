"""Journey: staff reports six-month progress with evidence; the manager returns, then approves;
the dashboard and the public page show it."""

import pytest

from measures.models import ProgressReport
from tests.base import Personas
from tests.e2e.conftest import login, screenshot
from tests.measures.builders import PDF_BYTES, make_activity, make_measure, make_plan, make_round


def switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


@pytest.mark.django_db(transaction=True)
def test_it_runs_a_six_month_report_from_draft_to_public(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    p = Personas()
    plan = make_plan(p.agency, 2564, title_th="มาตรการส่งเสริมคุณธรรม 2564")
    round_ = make_round(plan, 1)
    measure = make_measure(plan, 4, title_th="มาตรการเพิ่มประสิทธิภาพการสื่อสาร")
    activity = make_activity(measure, "4.1", p.unit, [p.other_unit], steps=3)
    evidence = tmp_path / "infographic.pdf"
    evidence.write_bytes(PDF_BYTES)

    # Staff of กพบ. opens their activity and writes the report.
    login(page, "staff")
    page.click("[data-testid=nav-measures]")
    page.click("[data-testid=activity-row-4\\.1] a")
    assert "4.1" in page.locator("[data-testid=activity-title]").inner_text()
    page.click("[data-testid=open-report-1]")
    page.select_option("select[name=status]", "in_progress")
    page.fill("input[name=percent]", "60")
    page.locator("input[name=steps_done]").first.check()
    page.fill("textarea[name=results]", "จัดทำ Infographic แผนการใช้จ่ายงบประมาณแล้ว")
    page.fill("textarea[name=obstacles]", "ไม่มี")
    page.click("[data-testid=report-save]")
    assert page.locator("[data-testid=report-state]").inner_text() == "ร่าง"
    page.set_input_files("input[name=file]", str(evidence))
    page.click("[data-testid=evidence-add]")
    assert "infographic.pdf" in page.locator("[data-testid=evidence-list]").inner_text()
    screenshot(page, "measures-report-draft")
    page.click("[data-testid=report-save-submit]")
    assert page.locator("[data-testid=report-state]").inner_text() == "ส่งแล้ว"

    # The manager returns it with a comment.
    switch_user(page, "manager")
    page.goto(f"/measures/activity/{activity.pk}/round/{round_.pk}/")
    page.fill("[data-testid=review-comment-input]", "โปรดระบุจำนวนครั้งที่เผยแพร่")
    page.click("[data-testid=report-return]")
    assert page.locator("[data-testid=report-state]").inner_text() == "ส่งกลับแก้ไข"

    # Staff corrects and resubmits.
    switch_user(page, "staff")
    page.goto(f"/measures/activity/{activity.pk}/round/{round_.pk}/")
    assert "จำนวนครั้ง" in page.locator("[data-testid=review-comment]").inner_text()
    page.fill("input[name=percent]", "80")
    page.fill(
        "textarea[name=results]", "จัดทำ Infographic แผนการใช้จ่ายงบประมาณ เผยแพร่ทางไลน์กลุ่ม 3 ครั้ง"
    )
    page.click("[data-testid=report-save-submit]")
    assert page.locator("[data-testid=report-state]").inner_text() == "ส่งแล้ว"
    history = page.locator("[data-testid=history]").inner_text()
    assert "staff" in history and "80" in history
    screenshot(page, "measures-report-resubmitted")

    # The manager approves; the dashboard shows it.
    switch_user(page, "manager")
    page.goto(f"/measures/activity/{activity.pk}/round/{round_.pk}/")
    page.click("[data-testid=report-approve]")
    assert page.locator("[data-testid=report-state]").inner_text() == "อนุมัติแล้ว"
    page.goto("/measures/2564/dashboard/")
    assert "80.00%" in page.locator("[data-testid=by-measure]").inner_text()
    screenshot(page, "measures-dashboard")
    report = ProgressReport.objects.get()
    assert (report.state, report.percent, report.evidence.count()) == ("approved", 80, 1)

    # The admin publishes; anyone sees the approved progress on the public page.
    switch_user(page, "admin")
    page.goto("/measures/2564/")
    page.click("[data-testid=publish]")
    assert page.locator("[data-testid=published]").is_visible()
    page.context.clear_cookies()
    page.goto("/public/oie/2564/")
    approved = page.locator("[data-testid=approved-4\\.1]").inner_text()
    assert "80%" in approved and "ไลน์กลุ่ม 3 ครั้ง" in approved
    screenshot(page, "measures-public")


@pytest.mark.django_db(transaction=True)
def test_it_shows_the_demo_plan_to_the_admin_in_thai_and_english(page):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", force=True, stdout=StringIO())
    login(page, "admin", "ita-demo-2564")
    page.goto("/measures/")
    assert "2564" in page.locator("[data-testid=plan-title]").inner_text()
    assert page.locator("[data-testid=activity-row-5\\.2]").is_visible()
    assert "อนุมัติแล้ว" not in page.locator("[data-testid=approved-4\\.1]").inner_text()
    assert "100%" in page.locator("[data-testid=approved-1\\.1]").inner_text()
    screenshot(page, "measures-plan-demo-th")
    page.click("[data-testid=open-dashboard]")
    assert page.locator("[data-testid=missing]").is_visible()
    screenshot(page, "measures-dashboard-demo-th")
    page.click("button[name=language][value=en]")
    page.goto("/measures/2564/")
    assert "Tackling corruption" in page.locator("[data-testid=measure-5]").inner_text()
    screenshot(page, "measures-plan-demo-en")

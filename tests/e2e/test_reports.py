"""Reports journey: a manager reads the executive summary and downloads it; staff gets the
six-month report only."""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from assessments.models import Assessment
from tests.demo import load_demo
from tests.e2e.conftest import fits_the_width, login, screenshot, screenshots
from tests.reports.test_self_assessment import own_result


@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_and_downloads_the_executive_summary(page):
    load_demo()
    login(page, "manager", DEMO_PASSWORD)
    page.click("[data-testid=nav-reports]")
    expect(page.locator("[data-testid=summary-list] li")).to_have_count(5)  # 2559–2563
    screenshot(page, "reports-index-manager")
    page.click("[data-testid=summary-list] a:text('2563')")
    expect(page.locator("[data-testid=report-title]")).to_have_text("บทสรุปผู้บริหาร")
    narrative = page.locator("[data-testid=summary-narrative]")
    for words in ("91.50", "ระดับ A", "อันดับที่ 22", "ตามที่ ป.ป.ช. ประกาศผล"):
        expect(narrative).to_contain_text(words)
    expect(page.locator("[data-testid=summary-charts] svg")).to_have_count(2)
    weak = page.locator("[data-testid=summary-weak] tbody tr")
    expect(weak).to_have_count(22)
    expect(weak.first).to_contain_text("I14")
    expect(page.locator("[data-testid=table-plan] thead")).to_contain_text("ข้อคำถามที่มุ่งแก้ไข")
    screenshot(page, "reports-summary-th")

    with page.expect_download() as download_info:
        page.click("[data-testid=download-pdf]")
    download = download_info.value
    assert download.suggested_filename == "ita-summary-oie-2563.pdf"
    assert download.path().read_bytes()[:5] == b"%PDF-"

    page.click("button[name=language][value=en]")
    expect(page.locator("[data-testid=report-title]")).to_have_text("Executive summary")
    expect(page.locator("[data-testid=summary-narrative]")).to_contain_text("grade A")
    screenshot(page, "reports-summary-en")


@pytest.mark.django_db(transaction=True)
def test_the_reports_fit_a_phone(page):
    load_demo()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "manager", DEMO_PASSWORD)
    for url in ("/reports/", "/reports/oie/2563/summary/", "/reports/oie/2564/progress/1/"):
        page.goto(url)
        expect(page.locator("[data-testid=report-title]")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    screenshot(page, "reports-progress-phone")


@pytest.mark.django_db(transaction=True)
def test_staff_gets_the_progress_report_but_not_the_summary(page):
    load_demo()
    login(page, "staff", DEMO_PASSWORD)
    page.click("[data-testid=nav-reports]")
    expect(page.locator("[data-testid=summary-list]")).to_have_count(0)
    page.click("[data-testid=progress-list] a >> nth=0")
    expect(page.locator("[data-testid=report-title]")).to_contain_text("รายงานผลการดำเนินงาน")
    overview = page.locator("[data-testid=progress-overview] tbody")
    expect(overview).to_contain_text("1.1")
    expect(overview).to_contain_text("5.2")
    screenshot(page, "reports-progress-th")

    with page.expect_download() as download_info:
        page.click("[data-testid=download-xlsx]")
    assert download_info.value.suggested_filename == "ita-progress-oie-2564-1.xlsx"

    response = page.goto("/reports/oie/2563/summary/")
    assert response.status == 403


@pytest.mark.django_db(transaction=True)
def test_the_summary_shows_the_self_assessment_beside_the_official_on_desktop_and_phone(page):
    load_demo()
    official = Assessment.objects.get(agency__code="oie", fiscal_year=2563, kind="official")
    own_result(official, IIT="88.00", EIT="90.00", OIT="95.00")
    login(page, "manager", DEMO_PASSWORD)
    page.goto("/reports/oie/2563/summary/")
    section = page.locator("[data-testid=summary-self]")
    expect(section).to_contain_text("ผลการประเมินตนเอง")
    expect(page.locator("[data-testid=self-IIT]")).to_contain_text("88.00")
    expect(page.locator("[data-testid=self-total]")).to_contain_text("91.40")
    section.scroll_into_view_if_needed()
    screenshots(page, "reports-summary-self")
    assert fits_the_width(page, 390)

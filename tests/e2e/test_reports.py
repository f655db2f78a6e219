"""Reports journey: a manager reads the executive summary and downloads it; staff gets the
six-month report only."""

import io

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import login, screenshot


def _demo() -> None:
    call_command("load_demo", "--force", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_and_downloads_the_executive_summary(page):
    _demo()
    login(page, "manager", DEMO_PASSWORD)
    page.click("[data-testid=nav-reports]")
    assert page.locator("[data-testid=summary-list] li").count() == 5  # 2559–2563
    screenshot(page, "reports-index-manager")
    page.click("[data-testid=summary-list] a:text('2563')")
    assert page.locator("[data-testid=report-title]").inner_text().strip() == "บทสรุปผู้บริหาร"
    narrative = page.locator("[data-testid=summary-narrative]").inner_text()
    assert "91.50" in narrative and "ระดับ A" in narrative and "อันดับที่ 22" in narrative
    assert page.locator("[data-testid=summary-charts] svg").count() == 2
    weak = page.locator("[data-testid=summary-weak] tbody tr")
    assert weak.count() == 22 and "I14" in weak.first.inner_text()
    screenshot(page, "reports-summary-th")

    with page.expect_download() as download_info:
        page.click("[data-testid=download-pdf]")
    download = download_info.value
    assert download.suggested_filename == "ita-summary-oie-2563.pdf"
    assert download.path().read_bytes()[:5] == b"%PDF-"

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=report-title]").inner_text().strip() == "Executive summary"
    assert "grade A" in page.locator("[data-testid=summary-narrative]").inner_text()
    screenshot(page, "reports-summary-en")


@pytest.mark.django_db(transaction=True)
def test_staff_gets_the_progress_report_but_not_the_summary(page):
    _demo()
    login(page, "staff", DEMO_PASSWORD)
    page.click("[data-testid=nav-reports]")
    assert page.locator("[data-testid=summary-list]").count() == 0
    page.click("[data-testid=progress-list] a >> nth=0")
    assert "รายงานผลการดำเนินงาน" in page.locator("[data-testid=report-title]").inner_text()
    overview = page.locator("[data-testid=progress-overview] tbody").inner_text()
    assert "1.1" in overview and "5.2" in overview
    screenshot(page, "reports-progress-th")

    with page.expect_download() as download_info:
        page.click("[data-testid=download-xlsx]")
    assert download_info.value.suggested_filename == "ita-progress-oie-2564-1.xlsx"

    response = page.goto("/reports/oie/2563/summary/")
    assert response.status == 403

"""Browser journey: an admin uploads a score workbook, checks the preview, confirms, and sees
the new scores on the assessment page; the format page; the pages at 1366 and 390 px wide."""

import re

import pytest
from playwright.sync_api import expect

from tests.assessments.builders import load_version_2563
from tests.base import Personas
from tests.e2e.conftest import login, screenshot
from tests.imports.builders import score_workbook

OIE_2563 = {
    1: 90.08,
    2: 84.02,
    3: 80.81,
    4: 80.75,
    5: 83.41,
    6: 94.79,
    7: 88.92,
    8: 84.27,
    9: 97.78,
}
WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def shoot(page, name: str) -> None:
    """Screenshot the page at desktop and phone width; neither may scroll sideways."""
    for label, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {label} px"
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(WIDTHS["1366"])


@pytest.mark.django_db(transaction=True)
def test_it_walks_an_admin_through_upload_preview_and_confirm(page, tmp_path):
    Personas()
    load_version_2563()
    workbook = tmp_path / "oie-2563.xlsx"
    workbook.write_bytes(
        score_workbook(
            indicator_scores=[
                *([2563, "oie", number, score] for number, score in OIE_2563.items()),
                [2563, "oie", 10, "๑๐๐"],
            ],
            official_results=[[2563, "oie", 91.5, "A", 22, 146, 4, 7, 35, 130, 38, 203]],
            thai=True,
        )
    )
    login(page, "admin")
    page.goto("/imports/")
    expect(page.get_by_test_id("imports-title")).to_have_text("นำเข้าคะแนน")
    shoot(page, "imports-index-th")

    page.get_by_test_id("format-link").click()
    expect(page.get_by_test_id("format-title")).to_have_text("รูปแบบไฟล์คะแนน")
    expect(page.get_by_test_id("format-sheet")).to_have_count(7)
    shoot(page, "imports-format-th")

    page.goto("/imports/")
    page.set_input_files("input[name=file]", str(workbook))
    page.get_by_test_id("upload-submit").click()
    expect(page).to_have_url(re.compile(r"/imports/preview/"))
    expect(page.get_by_test_id("count-new")).to_have_text("11")
    expect(page.get_by_test_id("count-error")).to_have_text("0")
    expect(page.locator("[data-testid=preview-rows] tr[data-status=new]")).to_have_count(11)
    shoot(page, "imports-preview-th")

    page.get_by_test_id("tab-error").click()
    expect(page.get_by_test_id("tab-error")).to_have_class("nav-link active")
    expect(page.locator("[data-testid=preview-rows] tr[data-status]")).to_have_count(0)
    page.goto(page.url.split("?")[0])

    page.get_by_test_id("confirm-import").click()
    expect(page).to_have_url(re.compile(r"/imports/batches/\d+/"))
    expect(page.locator("[data-testid=written-indicator-scores] tbody tr")).to_have_count(10)
    shoot(page, "imports-batch-th")

    page.goto("/assessments/oie/2563/")
    expect(page.get_by_test_id("indicator-4")).to_contain_text("80.75")
    expect(page.get_by_test_id("weighted-total")).to_contain_text("91.50")
    expect(page.get_by_test_id("grade").first).to_have_text("A")
    screenshot(page, "imports-assessment-page-th")


@pytest.mark.django_db(transaction=True)
def test_it_pages_a_preview_of_many_rows(page, tmp_path):
    Personas()
    load_version_2563()
    workbook = tmp_path / "many.xlsx"
    rows = [[2563, "oie", number, 90] for number in range(1, 11)]
    rows += [[2563, "oie", 11 + number, 90] for number in range(150)]
    workbook.write_bytes(score_workbook(indicator_scores=rows))
    login(page, "admin")
    page.goto("/imports/")
    page.set_input_files("input[name=file]", str(workbook))
    page.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("row-count")).to_have_text("ข้อมูล 160 แถว")
    expect(page.get_by_test_id("count-error")).to_have_text("150")
    page.get_by_test_id("tab-error").click()
    expect(page.get_by_test_id("preview-pages")).to_contain_text("หน้า 1 จาก 2")
    page.get_by_test_id("next-page").click()
    expect(page.get_by_test_id("preview-pages")).to_contain_text("หน้า 2 จาก 2")
    expect(page.locator("[data-testid=preview-rows] tr[data-status=error]")).to_have_count(50)
    shoot(page, "imports-preview-errors-th")

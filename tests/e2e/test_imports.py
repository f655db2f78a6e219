"""Browser journey: an admin uploads a score workbook, checks the preview, confirms, and sees
the new scores on the assessment page."""

import pytest

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
    assert page.locator("[data-testid=imports-title]").inner_text().strip() == "นำเข้าคะแนน"
    screenshot(page, "imports-index-th")

    page.set_input_files("input[name=file]", str(workbook))
    page.click("[data-testid=upload-submit]")
    page.wait_for_url("**/imports/preview/**")
    assert page.locator("[data-testid=count-new]").inner_text() == "11"
    assert page.locator("[data-testid=count-error]").inner_text() == "0"
    assert page.locator("[data-testid=preview-rows] tr[data-status=new]").count() == 11
    screenshot(page, "imports-preview-th")

    page.click("[data-testid=confirm-import]")
    page.wait_for_url("**/imports/batches/**")
    assert page.locator("[data-testid=written-indicator-scores] tbody tr").count() == 10
    screenshot(page, "imports-batch-th")

    page.goto("/assessments/oie/2563/")
    assert page.locator("[data-testid=indicator-4]").inner_text().count("80.75") >= 1
    assert "91.50" in page.locator("[data-testid=weighted-total]").inner_text()
    assert page.locator("[data-testid=grade]").first.inner_text().strip() == "A"
    screenshot(page, "imports-assessment-page-th")

"""Browser journey (issue 14): a newcomer data steward creates next year's instrument from the
latest one in the portal, an admin imports the official result with NACC's published labels, and
the manager sees the right level, its rule and the gap to the next level."""

import re

import pytest
from playwright.sync_api import expect

from tests.demo import load_demo
from tests.e2e.conftest import login, screenshots
from tests.imports.builders import score_workbook


@pytest.fixture
def demo(transactional_db):
    load_demo()


@pytest.mark.django_db(transaction=True)
def test_a_newcomer_creates_2570_imports_its_labels_and_sees_the_level_and_gap(
    page, demo, tmp_path
):
    # The steward copies the latest version (2569) to 2570 and saves it unchanged.
    login(page, "steward", "ita-demo-2564")
    page.goto("/assessments/versions/")
    page.click("[data-testid=copy-2569]")
    page.fill("input[name=fiscal_year]", "๒๕๗๐")
    page.fill("input[name=name_th]", "การประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2570")
    page.click("[data-testid=save]")
    page.wait_for_url("**/assessments/versions/2570/edit/")
    page.click("[data-testid=save]")
    page.wait_for_url("**/assessments/versions/2570/")
    expect(page.get_by_test_id("version-source")).to_contain_text("ยังไม่ยืนยัน")
    expect(page.get_by_test_id("band-1")).to_contain_text("ผ่านดีเยี่ยม")
    expect(page.get_by_test_id("band-1")).to_contain_text("OIT แต่ละแบบวัด ≥ 95.00")
    expect(page.locator("[data-testid=version-questions] td", has_text="O26")).to_have_count(1)
    screenshots(page, "method-version-2570")
    page.context.clear_cookies()

    # The agency's admin imports NACC's published result: Thai labels, instrument scores.
    workbook = tmp_path / "ita-2570.xlsx"
    workbook.write_bytes(
        score_workbook(
            official_results=[[2570, "oie", "๙๕.๒๐", "ผ่านดี"]],
            instrument_scores=[
                [2570, "oie", "IIT", "96"],
                [2570, "oie", "EIT", "96"],
                [2570, "oie", "OIT", "94"],
            ],
            thai=True,
        )
    )
    login(page, "admin", "ita-demo-2564")
    page.goto("/imports/")
    page.set_input_files("input[name=file]", str(workbook))
    page.get_by_test_id("upload-submit").click()
    expect(page).to_have_url(re.compile(r"/imports/preview/"))
    expect(page.get_by_test_id("count-error")).to_have_text("0")
    expect(page.get_by_test_id("count-new")).to_have_text("4")
    page.get_by_test_id("confirm-import").click()
    expect(page).to_have_url(re.compile(r"/imports/batches/\d+/"))
    expect(page.locator("[data-testid=written-instrument-scores] tbody tr")).to_have_count(3)
    page.context.clear_cookies()

    # The manager sees the level, the rule that gave it, and what OIT lacks for the next one.
    login(page, "manager", "ita-demo-2564")
    page.goto("/assessments/oie/2570/")
    expect(page.get_by_test_id("grade").first).to_have_text("ผ่านดี")
    expect(page.get_by_test_id("level").first).to_contain_text("คะแนนรวม 85.00–100.00")
    expect(page.get_by_test_id("total-all")).to_have_text("95.20")
    expect(page.get_by_test_id("minimum-need")).to_have_text("OIT ต้องเพิ่มอีก +1.00 จึงจะได้ ผ่านดีเยี่ยม")
    screenshots(page, "method-assessment-2570")
    page.goto("/assessments/oie/")
    expect(page.get_by_test_id("history-2570")).to_contain_text("ผ่านดี")
    expect(page.get_by_test_id("history-2559")).not_to_contain_text("B")
    screenshots(page, "method-history")

"""Measures document journey: a manager opens the document from the reports page, edits the
foreword, sees it kept, downloads PDF and Word; it fits a phone."""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.demo import load_demo
from tests.e2e.conftest import login, screenshot


@pytest.mark.django_db(transaction=True)
def test_a_manager_edits_and_downloads_the_measures_document(page):
    load_demo()
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "manager", DEMO_PASSWORD)
    page.click("[data-testid=nav-reports]")
    page.click("[data-testid=measures-list] a:text('2564')")
    expect(page.locator("[data-testid=report-title]")).to_have_text("เอกสารมาตรการ")
    preview = page.locator(".document-preview")
    for words in ("คำนำ", "สารบัญ", "ตารางที่ 2", "กคพ.สส./ กปส.สส./ กส./ ตสน.", "มี.ค. 64"):
        expect(preview).to_contain_text(words)
    screenshot(page, "measures-document-1366")

    page.click("[data-testid=narratives] a:text('บทสรุปผู้บริหาร')")
    page.fill("textarea[name=text]", "สรุปที่ผู้บริหารแก้ไขแล้ว\n\n- ประเด็นที่หนึ่ง")
    page.click("[data-testid=save]")
    expect(page.locator(".document-preview")).to_contain_text("สรุปที่ผู้บริหารแก้ไขแล้ว")
    expect(page.locator("[data-testid=narratives]")).to_contain_text("แก้ไขแล้ว")

    for testid, name in (
        ("download-measures-pdf", "ita-measures-oie-2564.pdf"),
        ("download-measures-docx", "ita-measures-oie-2564.docx"),
    ):
        with page.expect_download() as download_info:
            page.click(f"[data-testid={testid}]")
        assert download_info.value.suggested_filename == name

    page.click("[data-testid=issue-form] button")
    expect(page.locator("[data-testid=issued] li")).to_have_count(1)


@pytest.mark.django_db(transaction=True)
def test_the_measures_document_fits_a_phone(page):
    load_demo()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "manager", DEMO_PASSWORD)
    page.goto("/reports/oie/2564/measures/")
    expect(page.locator("[data-testid=report-title]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "measures-document-390")

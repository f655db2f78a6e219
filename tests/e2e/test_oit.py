"""Journey: one OIT round from assignment to the head's approval, with the links checked against a
local web server, an item returned and fixed, and the predicted score as computed by hand."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from oit.models import OitItem, OitRound
from tests.assessments.builders import load_version_2563
from tests.base import Personas
from tests.e2e.conftest import fits_the_width, login, screenshots
from tests.e2e.test_measures import switch_user
from tests.oit.builders import accept, local_site

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
def test_one_oit_round_from_assignment_to_approval(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE
    settings.OIT_LINKCHECK_ALLOW_PRIVATE = True  # the local test server only
    p = Personas()
    load_version_2563()

    with local_site() as base:
        # The admin starts the round of 2563 and assigns O1 to the staff's unit.
        login(page, "admin")
        page.get_by_test_id("nav-oit").click()
        page.fill("input[name=fiscal_year]", "2563")
        page.get_by_test_id("round-create").click()
        expect(page.get_by_test_id("round-state")).to_have_text("เปิดอยู่")
        expect(page.get_by_test_id("items").locator("tbody tr")).to_have_count(43)
        page.get_by_test_id("item-O1").click()
        page.select_option("select[name=unit]", label=str(p.unit))
        page.fill("input[name=due_on]", "31/03/2564")
        page.fill("textarea[name=requirement]", "แสดงแผนผังโครงสร้างการแบ่งส่วนราชการ")
        page.get_by_test_id("assign-save").click()
        expect(page.get_by_test_id("item-unit")).to_contain_text("กพบ.")

        # The unit's staff answers with two links and sends it to the working group.
        switch_user(page, "staff")
        page.goto(f"/oit/items/{item('O1').pk}/")
        expect(page.get_by_test_id("requirement")).to_contain_text("แผนผังโครงสร้าง")
        page.select_option("select[name=status]", "done")
        page.fill("textarea[name=urls]", f"{base}/old\n{base}/gone")
        page.fill("textarea[name=explanation]", "ผังโครงสร้างล่าสุด")
        page.get_by_test_id("answer-submit").click()
        expect(page.get_by_test_id("item-state")).to_have_text("ส่งแล้ว")

        # The working group checks the links: one moved, one broken; returns the item.
        switch_user(page, "admin")
        page.goto("/oit/2563/")
        page.get_by_test_id("check-links").click()
        row = page.get_by_test_id("item-row-O1")
        expect(row.get_by_test_id("verdict")).to_have_count(2)
        expect(row).to_contain_text("ย้ายที่อยู่")
        expect(row).to_contain_text("เสีย 404")
        row.get_by_test_id("item-O1").click()
        expect(page.get_by_test_id("links")).to_contain_text(f"{base}/new")
        assert fits_the_width(page)
        screenshots(page, "oit-item-checked")
        page.fill("textarea[name=comment]", "ลิงก์ที่สองเสีย และลิงก์แรกย้ายไปแล้ว")
        page.get_by_test_id("item-return").click()
        expect(page.get_by_test_id("item-state")).to_have_text("ส่งกลับแก้ไข")

        # The staff fixes the links and sends it again.
        switch_user(page, "staff")
        page.goto(f"/oit/items/{item('O1').pk}/")
        expect(page.get_by_test_id("review-comment")).to_contain_text("ลิงก์ที่สองเสีย")
        page.fill("textarea[name=urls]", f"{base}/new\n{base}/ok")
        page.get_by_test_id("answer-submit").click()
        expect(page.get_by_test_id("item-state")).to_have_text("ส่งแล้ว")

        # A manager of the working group checks again, scores and accepts.
        switch_user(page, "manager")
        page.goto("/oit/2563/")
        page.get_by_test_id("check-links").click()
        expect(page.get_by_test_id("item-row-O1")).to_contain_text("ใช้งานได้ 200")
        page.get_by_test_id("item-O1").click()
        page.select_option("select[name=score]", "1")
        page.get_by_test_id("item-accept").click()
        expect(page.get_by_test_id("item-state")).to_have_text("ผ่านการตรวจ")

    # The other 42 items go the same way, off-screen: O2 found absent (0), the rest present.
    for other in OitItem.objects.exclude(question__code="O1").select_related(
        "round__agency", "round__version", "question"
    ):
        accept(
            other,
            writer=p.staff,
            reviewer=p.admin,
            score="0" if other.question.code == "O2" else "1",
        )

    # The predicted score, by hand: 9.1 has 8 of 9 items = 88.888…;
    # indicator 9 = (88.888… + 4 × 100) / 5 = 97.777…; indicator 10 = 100;
    # OIT = (97.777… + 100) / 2 = 98.888… → 98.89; on the total × 0.40 = 39.555… → 39.56.
    # O2 costs 100 / (2 × 5 × 9) × 0.40 = 0.444… → 0.44.
    page.goto("/oit/2563/dashboard/")
    expect(page.get_by_test_id("predicted-oit")).to_have_text("98.89")
    expect(page.get_by_test_id("costs")).to_contain_text("O2")
    expect(page.get_by_test_id("costs")).to_contain_text("0.44")
    assert fits_the_width(page)
    screenshots(page, "oit-dashboard")

    # The head approves the whole OIT.
    page.goto("/oit/2563/")
    page.get_by_test_id("round-approve").click()
    expect(page.get_by_test_id("round-state")).to_have_text("ผู้บริหารอนุมัติแล้ว")
    assert fits_the_width(page)
    screenshots(page, "oit-round-approved")
    round_ = OitRound.objects.get()
    assert round_.approved_by == p.manager
    assert item("O1").score == Decimal("1") and item("O1").links.count() == 2


def item(code: str) -> OitItem:
    return OitItem.objects.get(question__code=code)

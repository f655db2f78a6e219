"""First journey: each demo persona logs in, sees their role's home in Thai, switches to English."""

import pytest

from tests.base import Personas
from tests.e2e.conftest import login, screenshot

HOMES = {
    "staff": ("หน้าหลักเจ้าหน้าที่", "Staff home"),
    "manager": ("หน้าหลักผู้บริหาร", "Manager's home"),
    "admin": ("หน้าหลักผู้ดูแลระบบ", "Administrator's home"),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["staff", "manager", "admin"])
def test_it_logs_in_in_thai_and_switches_to_english(page, username):
    Personas()
    thai_title, english_title = HOMES[username]

    login(page, username)

    assert page.locator("[data-testid=home-title]").inner_text().strip() == thai_title
    assert page.locator("html").get_attribute("lang") == "th"
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith('"Sarabun"') or font.startswith("Sarabun")
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ภาษาไทย')")
    screenshot(page, f"home-{username}-th")

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=home-title]").inner_text().strip() == english_title
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, f"home-{username}-en")


@pytest.mark.django_db(transaction=True)
def test_it_shows_an_error_for_a_wrong_password(page):
    Personas()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", "wrong")
    page.click("[data-testid=login-submit]")
    assert page.locator("[data-testid=login-error]").is_visible()
    assert "/accounts/login/" in page.url

"""First journey: each demo persona logs in, sees their role's home in Thai, switches to English."""

import re

import pytest
from playwright.sync_api import expect

from tests.base import Personas
from tests.e2e.conftest import fits_the_width, login, screenshot, screenshots

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

    expect(page.locator("[data-testid=home-title]")).to_have_text(thai_title)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith('"Sarabun"') or font.startswith("Sarabun")
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ภาษาไทย')")
    screenshot(page, f"home-{username}-th")

    page.click("button[name=language][value=en]")
    expect(page.locator("[data-testid=home-title]")).to_have_text(english_title)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, f"home-{username}-en")


@pytest.mark.django_db(transaction=True)
def test_it_shows_an_error_for_a_wrong_password(page):
    Personas()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", "wrong")
    page.click("[data-testid=login-submit]")
    expect(page.locator("[data-testid=login-error]")).to_have_text(
        re.compile("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
    )
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    screenshots(page, "login-error")
    assert fits_the_width(page)


@pytest.mark.django_db(transaction=True)
def test_a_browser_asking_for_english_gets_thai(browser, live_server):
    Personas()
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        expect(page.locator("html")).to_have_attribute("lang", "th")
        expect(page.locator("h1")).to_have_text("เข้าสู่ระบบ ITA")
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_the_password_change_page_speaks_thai(page):
    Personas()
    login(page, "staff")
    page.goto("/accounts/password_change/")
    page.fill("input[name=old_password]", "correct horse battery staple")
    page.fill("input[name=new_password1]", "12345678")
    page.fill("input[name=new_password2]", "12345678")
    page.click("main button[type=submit]")
    expect(page.locator("[data-testid=error-new_password2]").first).to_have_text(
        re.compile("รหัสผ่าน")
    )
    expect(page.locator("main")).not_to_contain_text(re.compile("[Pp]assword"))
    screenshots(page, "password-change-errors")
    assert fits_the_width(page)


@pytest.mark.django_db(transaction=True)
def test_a_forgotten_password_is_replaced_through_the_mailed_link(page):
    from django.core import mail

    from accounts.models import User

    Personas()
    User.objects.filter(username="staff").update(email="staff@oie.example")
    page.goto("/accounts/login/")
    page.click("[data-testid=forgot-password]")
    expect(page.locator("h1")).to_have_text("ลืมรหัสผ่าน")
    page.fill("input[name=email]", "staff@oie.example")
    screenshots(page, "password-reset-form")
    page.click("[data-testid=reset-submit]")
    expect(page.locator("[data-testid=reset-done]")).to_contain_text("โปรดตรวจสอบกล่องจดหมาย")
    screenshots(page, "password-reset-done")
    assert fits_the_width(page)

    link = re.search(r"https?://\S+/accounts/reset/\S+", mail.outbox[0].body)[0]
    page.goto(link)
    page.fill("input[name=new_password1]", "Kh0ngDee-2564!")
    page.fill("input[name=new_password2]", "Kh0ngDee-2564!")
    screenshots(page, "password-reset-confirm")
    page.click("[data-testid=reset-confirm]")
    expect(page.locator("[data-testid=reset-complete]")).to_be_visible()
    login(page, "staff", "Kh0ngDee-2564!")
    expect(page.locator("[data-testid=home-title]")).to_have_text("หน้าหลักเจ้าหน้าที่")

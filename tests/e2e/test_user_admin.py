"""Journeys of an agency's administrator: create a user who then logs in; unlock a login."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.base import Personas
from tests.e2e.conftest import fits_the_width, login, screenshot, screenshots


@pytest.mark.django_db(transaction=True)
def test_it_lets_an_admin_create_a_user_who_can_then_log_in(page):
    Personas()
    login(page, "admin")
    page.click("[data-testid=nav-admin]")
    page.click("text=ผู้ใช้")
    page.click("[data-testid=user-create]")
    page.fill("input[name=username]", "somsri")
    page.fill("input[name=first_name]", "สมศรี")
    page.select_option("select[name=role]", "staff")
    page.fill("input[name=password1]", "Kh0ngDee-2564!")
    page.fill("input[name=password2]", "Kh0ngDee-2564!")
    page.click("[data-testid=save]")
    # Staff without a unit is refused with the reason beside the field.
    expect(page.locator("[data-testid=error-units]")).to_be_visible()
    screenshot(page, "user-create-error")
    page.check("label:has-text('กพบ.')")
    page.fill("input[name=password1]", "Kh0ngDee-2564!")
    page.fill("input[name=password2]", "Kh0ngDee-2564!")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=user-table]")).to_contain_text("somsri")
    expect(page.locator("[data-testid=user-table] td", has_text="somsri")).to_have_count(1)
    screenshot(page, "user-list")

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login(page, "somsri", "Kh0ngDee-2564!")
    expect(page.locator("[data-testid=home-title]")).to_have_text("หน้าหลักเจ้าหน้าที่")


@pytest.mark.django_db(transaction=True)
def test_an_admin_unlocks_a_locked_out_user(page):
    Personas()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", "staff")
        page.fill("input[name=password]", "wrong")
        page.click("[data-testid=login-submit]")
    expect(page.locator("[data-testid=locked-out]")).to_be_visible()

    page.context.clear_cookies()
    login(page, "admin")
    page.click("[data-testid=nav-admin]")
    page.click("[data-testid=nav-lockouts]")
    row = page.locator("[data-testid=lockout-staff]")
    expect(row).to_contain_text("ถูกล็อก")
    screenshots(page, "lockouts")
    assert fits_the_width(page)
    row.locator("[data-testid=unlock-staff]").click()
    expect(page.locator("[role=alert].alert-success")).to_contain_text("staff เข้าสู่ระบบได้อีกครั้ง")
    expect(page.locator("[data-testid=no-lockouts]")).to_be_visible()

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    login(page, "staff")
    expect(page.locator("[data-testid=home-title]")).to_have_text("หน้าหลักเจ้าหน้าที่")

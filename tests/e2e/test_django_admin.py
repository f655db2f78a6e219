"""The Django admin, for superusers and stewards, reads Thai in Sarabun; agency admins stay out."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.builders import make_steward, make_superuser
from tests.base import PASSWORD, Personas
from tests.e2e.conftest import login, screenshots


def admin_login(page, username: str) -> None:
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_admin_shows_thai_in_sarabun(page):
    Personas()
    make_superuser()
    admin_login(page, "root")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("#site-name")).to_have_text("การดูแลระบบ ITA Portal")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.split(",")[0].strip('"') == "Sarabun", font
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ภาษาไทย')")
    screenshots(page, "django-admin-index")
    page.goto("/admin/accounts/agency/")
    expect(page.locator("#result_list")).to_contain_text("สำนักงานเศรษฐกิจอุตสาหกรรม")
    screenshots(page, "django-admin-agencies")


@pytest.mark.django_db(transaction=True)
def test_a_steward_sees_reference_data_only(page):
    Personas()
    make_steward()
    admin_login(page, "steward")
    expect(page.locator("a[href='/admin/assessments/instrumentversion/']").first).to_be_visible()
    expect(page.locator("a[href='/admin/measures/plan/']")).to_have_count(0)
    expect(page.locator("a[href='/admin/accounts/user/']")).to_have_count(0)
    page.goto("/")
    expect(page.locator("[data-testid=home-title]")).to_have_text("หน้าหลักผู้ดูแลข้อมูลอ้างอิง")
    expect(page.locator("[data-testid=nav-django-admin]")).to_be_attached()
    screenshots(page, "home-steward")


@pytest.mark.django_db(transaction=True)
def test_an_agency_admin_is_kept_out(page):
    Personas()
    login(page, "admin")
    expect(page.locator("[data-testid=nav-django-admin]")).to_have_count(0)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator("#content")).to_contain_text(re.compile("ไม่ได้รับอนุญาต|not authorized"))

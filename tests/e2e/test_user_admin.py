"""Journey: an administrator creates a staff user in the portal; that user logs in."""

import pytest

from tests.base import Personas
from tests.e2e.conftest import login, screenshot


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
    assert page.locator("[data-testid=error-units]").is_visible()
    screenshot(page, "user-create-error")
    page.check("label:has-text('กพบ.')")
    page.fill("input[name=password1]", "Kh0ngDee-2564!")
    page.fill("input[name=password2]", "Kh0ngDee-2564!")
    page.click("[data-testid=save]")
    assert page.locator("[data-testid=user-table]").inner_text().count("somsri") == 1
    screenshot(page, "user-list")

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    login(page, "somsri", "Kh0ngDee-2564!")
    assert page.locator("[data-testid=home-title]").inner_text().strip() == "หน้าหลักเจ้าหน้าที่"

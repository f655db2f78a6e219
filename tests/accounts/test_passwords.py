"""Password pages speak Thai: labels, help texts and every validator's message."""

import html
import re

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from accounts.models import User
from tests.base import PASSWORD

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
ALLOWED = {"ITA", "Portal"}  # the portal's name


def main_text(response) -> str:
    """The visible text of the page's <main>, tags and markup removed."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    main = re.sub(r"<[^>]+>", " ", main)
    return " ".join(html.unescape(main).split())


def english_in(text: str) -> set[str]:
    return set(ENGLISH_WORD.findall(text)) - ALLOWED


@pytest.fixture
def staff_client(personas) -> Client:
    client = Client()
    client.force_login(personas.staff)
    return client


def test_the_password_change_page_is_all_thai(staff_client):
    text = main_text(staff_client.get("/accounts/password_change/"))
    assert english_in(text) == set(), text
    for words in ["รหัสผ่านปัจจุบัน", "อย่างน้อย 8 ตัวอักษร", "ไม่ใช่ตัวเลขล้วน", "ยืนยัน"]:
        assert words in text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("wrong", "Kh0ngDee-2564!", "รหัสผ่านปัจจุบันไม่ถูกต้อง"),
        (PASSWORD, "a1b2c3", "รหัสผ่านนี้สั้นเกินไป: ใช้อย่างน้อย 8 ตัวอักษร"),
        (PASSWORD, "password", "รหัสผ่านที่ใช้กันทั่วไป"),
        (PASSWORD, "2564256425", "มีแต่ตัวเลข"),
        (PASSWORD, "staff1", "คล้ายกับชื่อผู้ใช้ของท่านเกินไป"),
    ],
    ids=["wrong-current", "short", "common", "numeric", "like-username"],
)
def test_each_password_error_is_thai(staff_client, old, new, message):
    data = {"old_password": old, "new_password1": new, "new_password2": new}
    response = staff_client.post("/accounts/password_change/", data)
    assert response.status_code == 200
    text = main_text(response)
    assert message in text
    assert english_in(text) == set(), text


def test_two_different_new_passwords_are_refused_in_thai(staff_client):
    data = {"old_password": PASSWORD, "new_password1": "Kh0ngDee-2564!", "new_password2": "x"}
    text = main_text(staff_client.post("/accounts/password_change/", data))
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in text
    assert english_in(text) == set(), text


def test_a_good_password_is_changed(staff_client, personas):
    data = {
        "old_password": PASSWORD,
        "new_password1": "Kh0ngDee-2564!",
        "new_password2": "Kh0ngDee-2564!",
    }
    assert staff_client.post("/accounts/password_change/", data).status_code == 302
    assert User.objects.get(pk=personas.staff.pk).check_password("Kh0ngDee-2564!")


def test_the_login_error_is_thai(db, personas):
    response = Client().post("/accounts/login/", {"username": "staff", "password": "wrong"})
    text = main_text(response)
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in text
    assert english_in(text) == set(), text


def test_the_users_form_of_an_admin_speaks_thai_too(db, personas):
    client = Client()
    client.force_login(personas.admin)
    data = {
        "username": "somchai",
        "role": "manager",
        "password1": "12345678",
        "password2": "12345678",
    }
    text = main_text(client.post("/accounts/users/new/", data))
    assert "มีแต่ตัวเลข" in text and "ที่ใช้กันทั่วไป" in text


def test_in_english_the_validators_speak_english(db):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            password_validation.validate_password("1234")
        messages = error.value.messages
        assert "This password is digits only: add letters or signs." in messages
        assert "This password is too short: use at least 8 characters." in messages

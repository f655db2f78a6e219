"""Password reset: a Thai mail with a one-time link, at most a few per address and client."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import User

DONE = "/accounts/password_reset/done/"


@pytest.fixture(autouse=True)
def addresses(personas):
    User.objects.filter(pk=personas.staff.pk).update(email="staff@oie.example")
    User.objects.filter(pk=personas.manager.pk).update(email="manager@oie.example")


def ask(email: str, ip: str = "10.0.0.1"):
    return Client().post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=ip)


def test_it_mails_a_thai_link_that_sets_a_new_password(client, db):
    response = ask("staff@oie.example")
    assert (response.status_code, response["Location"]) == (302, DONE)
    [message] = mail.outbox
    assert message.subject == "ITA Portal: ตั้งรหัสผ่านใหม่"
    assert "staff" in message.body and "ขอรหัสผ่านใหม่" in message.body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body)[1]
    form_page = client.get(link, follow=True)
    assert "ตั้งรหัสผ่านใหม่" in form_page.content.decode()
    new = {"new_password1": "Kh0ngDee-2564!", "new_password2": "Kh0ngDee-2564!"}
    done = client.post(form_page.redirect_chain[-1][0], new, follow=True)
    assert "ตั้งรหัสผ่านใหม่แล้ว" in done.content.decode()
    assert User.objects.get(username="staff").check_password("Kh0ngDee-2564!")


def test_it_answers_an_unknown_address_as_a_known_one(db):
    response = ask("nobody@example.org")
    assert (response.status_code, response["Location"]) == (302, DONE)
    assert mail.outbox == []


def test_it_mails_one_address_a_few_times_an_hour_then_says_nothing(db):
    limit = settings.PASSWORD_RESET_PER_EMAIL
    answers = [ask("staff@oie.example", ip=f"10.0.1.{n}") for n in range(limit + 3)]
    assert len(mail.outbox) == limit
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, DONE)}
    ask("manager@oie.example")
    assert len(mail.outbox) == limit + 1, "another address is not held back"


def test_it_mails_from_one_client_a_few_times_an_hour(db):
    limit = settings.PASSWORD_RESET_PER_IP
    for n in range(limit):
        ask(f"someone{n}@example.org", ip="10.0.0.9")
    ask("staff@oie.example", ip="10.0.0.9")
    assert mail.outbox == []
    ask("staff@oie.example", ip="10.0.0.10")
    assert len(mail.outbox) == 1


def test_the_address_is_counted_whatever_its_case(db):
    for n in range(settings.PASSWORD_RESET_PER_EMAIL + 1):
        ask("STAFF@oie.example" if n % 2 else "staff@oie.example", ip=f"10.0.2.{n}")
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_EMAIL


def test_the_login_page_links_the_reset(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in body


def test_a_used_link_says_so_in_thai(client, db):
    response = client.get("/accounts/reset/MQ/bad-token/")
    assert "ลิงก์นี้ถูกใช้ไปแล้วหรือหมดอายุ" in response.content.decode()

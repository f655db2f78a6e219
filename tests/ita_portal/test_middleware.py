"""Request bodies are bounded before they are read; Thai is the language unless switched."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ita_portal.middleware import RequestBodyLimitMiddleware
from tests.measures.builders import PlanWorld, make_report

MB = 1024 * 1024
TOO_LARGE_TH = "คำขอนี้ใหญ่เกินกว่าที่ระบบรับได้ (413)"


class BodyRead(Exception):
    pass


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise BodyRead

    readline = read


def post_declaring(client: Client, path: str, length: int, **extra):
    return client.generic(
        "POST",
        path,
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
        **extra,
    )


def test_it_refuses_a_600_mb_login_post_without_reading_it(client, db):
    response = post_declaring(client, "/accounts/login/", 600 * MB)
    assert response.status_code == 413
    assert TOO_LARGE_TH in response.content.decode()
    assert response["Connection"] == "close"


def test_it_refuses_a_body_above_the_default_limit_of_an_ordinary_view(client, personas):
    client.force_login(personas.admin)
    length = settings.REQUEST_BODY_MAX_BYTES + 1
    response = post_declaring(client, reverse("accounts:user_create"), length)
    assert response.status_code == 413
    assert "ส่งได้ครั้งละไม่เกิน 6 MB" in response.content.decode()


def test_an_upload_view_takes_a_body_up_to_its_own_limit(client, personas):
    world = PlanWorld(personas)
    report = make_report(world.activity, world.round)
    client.force_login(personas.staff)
    path = reverse("measures:evidence_add", args=[report.pk])
    # Above the ordinary limit, below evidence's: the body reaches the view, which reads it.
    with pytest.raises(BodyRead):
        post_declaring(client, path, settings.REQUEST_BODY_MAX_BYTES + MB)
    response = post_declaring(client, path, settings.EVIDENCE_MAX_BYTES + 2 * MB)
    assert response.status_code == 413


def test_it_answers_400_to_a_malformed_content_length(client, db):
    response = client.generic("POST", "/accounts/login/", b"", CONTENT_LENGTH="-1")
    assert response.status_code == 400


def test_each_upload_view_has_its_own_limit(settings):
    middleware = RequestBodyLimitMiddleware(lambda request: None)
    assert middleware.limit_for("accounts:user_create") == settings.REQUEST_BODY_MAX_BYTES
    assert middleware.limit_for("imports:upload") == settings.IMPORT_MAX_BYTES + MB
    assert middleware.limit_for("admin:assessments_questionscore_import") > 10 * MB
    assert middleware.limit_for("measures:evidence_add") == settings.EVIDENCE_MAX_BYTES + MB


def test_a_browser_asking_for_english_still_gets_thai(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="th">' in body
    assert "เข้าสู่ระบบ" in body
    assert response["Content-Language"] == "th"


def test_the_language_switch_turns_the_portal_english_and_back(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="th")
    assert '<html lang="en">' in response.content.decode()
    assert "Log in to ITA Portal" in response.content.decode()
    client.post(reverse("set_language"), {"language": "th", "next": "/accounts/login/"})
    assert '<html lang="th">' in client.get("/accounts/login/").content.decode()


def test_an_unknown_language_cookie_means_thai(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="th">' in client.get("/accounts/login/").content.decode()

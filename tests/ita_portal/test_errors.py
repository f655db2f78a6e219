"""Error pages answer in Thai, say what to do, and keep the security headers."""

from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults

from tests.base import PASSWORD


def test_it_explains_a_missing_page_in_thai(client, personas):
    client.force_login(personas.staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "ไม่พบหน้านี้ หรือท่านไม่มีสิทธิ์เข้าถึง (404)" in body
    assert 'data-testid="main-nav"' in body, "the page keeps the portal's navigation"


def test_it_explains_a_refusal_in_thai(personas):
    request = RequestFactory().get("/")
    request.user = personas.staff
    request.LANGUAGE_CODE = "th"
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "ท่านไม่มีสิทธิ์ดำเนินการนี้ (403)" in response.content.decode()


def test_it_explains_a_missing_csrf_token_in_thai(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert response.status_code == 403
    assert "แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งมาจากระบบ (403)" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_server_error_page_needs_no_database_or_request(db):
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "ระบบขัดข้องชั่วคราว (500)" in body
    assert "Server error (500)" in body


def test_the_bad_request_page_is_thai(db):
    response = defaults.bad_request(RequestFactory().get("/"), Exception())
    assert response.status_code == 400
    assert "ระบบไม่เข้าใจคำขอนี้ (400)" in response.content.decode()

"""Production hardening: check --deploy, headers, cookies, CSP-safe templates, proxy IPs."""

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from ita_portal.middleware import csp_header, permissions_policy_header
from ita_portal.security import client_ip
from tests.accounts.builders import make_superuser

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process: no .env file, DEBUG off, real secrets."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(
        ITA_ENV_FILE="/nonexistent",
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ita.example.go.th,testserver",
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    )
    return environment


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("behind_proxy", ["0", "1"])
def test_it_passes_check_deploy_with_production_settings(tmp_path, behind_proxy):
    env = production_env(tmp_path, BEHIND_PROXY=behind_proxy)
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr


PRODUCTION_PROBE = r"""
import http.client
import json
import re
import django
django.setup()
from django.conf import settings
from django.test import Client

response = Client().get("/accounts/login/", secure=True)
css = re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', response.text).group(1)
static = Client().get(css, secure=True, HTTP_ACCEPT_ENCODING="gzip")
plain = Client().get("/accounts/login/")
forwarded = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
cookies = {
    name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
    for name, m in response.cookies.items()
}
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "cookies": cookies,
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "proxy_ssl_header": settings.SECURE_PROXY_SSL_HEADER,
    "forwarded_status": forwarded.status_code,
    "static": {"url": css, "status": static.status_code, "headers": dict(static.headers)},
}))
"""


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """collectstatic with production settings, as `make serve` runs it."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = production_env(root, STATIC_ROOT=str(root))
    result = run([sys.executable, "manage.py", "collectstatic", "--noinput"], env)
    assert result.returncode == 0, result.stderr
    return root


def probe_production(tmp_path: Path, static_root: Path, **extra: str) -> dict:
    env = production_env(tmp_path, STATIC_ROOT=str(static_root), **extra)
    result = run([sys.executable, "-c", PRODUCTION_PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_collects_hashed_and_compressed_static_files(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/portal.css"]
    assert (static_root / hashed).is_file()
    assert (static_root / f"{hashed}.gz").is_file()
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in manifest["paths"]


def test_the_admin_font_is_collected_with_its_hashed_import(static_root):
    paths = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    admin_css = (static_root / paths["css/admin.css"]).read_text()
    assert f'@import url("{paths["css/sarabun.css"].removeprefix("css/")}")' in admin_css
    sarabun = (static_root / paths["css/sarabun.css"]).read_text()
    regular = paths["fonts/sarabun/Sarabun_400Regular.ttf"]
    assert f"../{regular}" in sarabun and (static_root / regular).is_file()


def test_whitenoise_serves_static_files_with_debug_off(tmp_path, static_root):
    static = probe_production(tmp_path, static_root)["static"]
    assert static["status"] == 200
    assert static["headers"]["Content-Encoding"] == "gzip"
    assert "immutable" in static["headers"]["Cache-Control"]
    assert static["headers"]["X-Content-Type-Options"] == "nosniff"


def test_it_sends_hsts_and_secure_cookies_in_production(tmp_path, static_root):
    probe = probe_production(tmp_path, static_root)
    assert probe["status"] == 200
    headers = probe["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert probe["cookies"]["csrftoken"]["secure"] is True
    assert probe["cookies"]["csrftoken"]["samesite"] == "Lax"
    assert probe["session_cookie_secure"] is True
    assert probe["session_cookie_httponly"] is True


def test_it_redirects_plain_http_to_https_in_production(tmp_path, static_root):
    probe = probe_production(tmp_path, static_root)
    assert probe["plain_status"] == 301
    assert probe["plain_location"] == "https://testserver/accounts/login/"


def test_it_trusts_x_forwarded_proto_only_behind_a_proxy(tmp_path, static_root):
    direct = probe_production(tmp_path, static_root)
    assert direct["proxy_ssl_header"] is None
    assert direct["forwarded_status"] == 301
    behind = probe_production(tmp_path, static_root, BEHIND_PROXY="1")
    assert behind["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind["forwarded_status"] == 200


EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/healthz", "/admin/"])
def test_it_sends_the_security_headers_on_every_page(client, personas, path):
    client.force_login(make_superuser())  # the Django admin is for superusers and stewards
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_it_sends_the_headers_on_error_pages(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code in {302, 404}
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"


def test_it_serialises_policies():
    assert csp_header({"default-src": ["'self'"], "upgrade-insecure-requests": True}) == (
        "default-src 'self'; upgrade-insecure-requests"
    )
    assert csp_header({"img-src": []}) == ""
    assert permissions_policy_header({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def template_files() -> list[Path]:
    return sorted(
        path
        for directory in TEMPLATE_DIRS
        if ".venv" not in directory.parts
        for path in directory.rglob("*")
        if path.suffix in {".html", ".svg", ".txt"}
    )


def offences(pattern: re.Pattern, *, skip_pdf: bool = False) -> list[str]:
    found = []
    for path in template_files():
        if skip_pdf and "pdf" in path.relative_to(ROOT).parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_the_template_scan_sees_the_templates():
    assert ROOT / "templates" / "base.html" in template_files()


@pytest.mark.parametrize(
    "pattern", [INLINE_SCRIPT, EVENT_HANDLER, JS_URL], ids=["script", "handler", "js-url"]
)
def test_templates_hold_no_inline_script(pattern):
    """The CSP (script-src 'self') would block it: put the code in static/js/ instead."""
    assert offences(pattern) == []


def test_templates_hold_no_style_element():
    """The CSP (style-src 'self') would block it: put the rules in a file under static/css/.

    Style attributes are allowed (style-src-attr). PDF templates are rendered by WeasyPrint on
    the server, where no CSP applies.
    """
    assert offences(STYLE_ELEMENT, skip_pdf=True) == []


@override_settings(PROXY_COUNT=0)
def test_it_ignores_x_forwarded_for_without_a_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.7"


@override_settings(PROXY_COUNT=1)
def test_it_takes_the_address_the_trusted_proxy_saw():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7"
    )
    assert client_ip(request) == "10.0.0.7"


@override_settings(PROXY_COUNT=2)
def test_it_falls_back_to_the_peer_when_the_proxy_chain_is_short():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.7")
    assert client_ip(request) == "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "ita.example.go.th", **headers})
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


def test_gunicorn_serves_pages_and_static_files_as_make_serve_does(tmp_path, static_root):
    """`make serve` with DEBUG=0 behind a TLS proxy: pages, health check and whitenoise."""
    port = free_port()
    env = production_env(tmp_path, STATIC_ROOT=str(static_root), BEHIND_PROXY="1")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "ita_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                status, _, body = get(port, "/healthz", **{"X-Forwarded-Proto": "https"})
                break
            except OSError:
                time.sleep(0.1)
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})

        status, headers, body = get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Content-Security-Policy"] == EXPECTED_CSP
        assert "Strict-Transport-Security" in headers
        css = re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', body.decode()).group(1)

        status, headers, body = get(
            port, css, **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
        )
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]

        status, headers, _ = get(port, "/accounts/login/")
        assert (status, headers["Location"]) == (301, "https://ita.example.go.th/accounts/login/")
    finally:
        server.terminate()
        server.wait(timeout=30)

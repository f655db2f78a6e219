"""Settings: the environment, then .env (python-dotenv), then *_FILE secrets; loud failures."""

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.core import mail
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; print(json.dumps({'debug': s.DEBUG, 'secret': s.SECRET_KEY, "
    "'db': d['NAME'], 'engine': d['ENGINE'], 'health': d['CONN_HEALTH_CHECKS'], "
    "'admins': s.ADMINS, 'password': s.EMAIL_HOST_PASSWORD, 'hosts': s.ALLOWED_HOSTS}))"
)
CLEARED = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ADMINS", "EMAIL_HOST_PASSWORD", "ALLOWED_HOSTS"}


def run_settings(env_file: str = "/nonexistent", **env) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in CLEARED and not k.endswith("_FILE")
    }
    environment.update(env, ITA_ENV_FILE=env_file, DJANGO_SETTINGS_MODULE="ita_portal.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def settings_of(**env) -> dict:
    result = run_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_refuses_to_start_with_debug_off_and_no_secret_key():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_starts_with_debug_off_and_a_secret_key():
    assert (
        settings_of(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="ita.example")["debug"] is False
    )


def test_it_refuses_a_malformed_boolean():
    result = run_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_it_reads_secrets_from_files(tmp_path):
    (tmp_path / "key").write_text("k" * 50 + "\n")
    (tmp_path / "db").write_text(f"sqlite:///{tmp_path / 'from-file.sqlite3'}\n")
    (tmp_path / "mail").write_text("s3cret$with$dollars\n")
    found = settings_of(
        DEBUG="0",
        ALLOWED_HOSTS="ita.example",
        SECRET_KEY_FILE=str(tmp_path / "key"),
        DATABASE_URL_FILE=str(tmp_path / "db"),
        EMAIL_HOST_PASSWORD_FILE=str(tmp_path / "mail"),
    )
    assert found["secret"] == "k" * 50
    assert found["db"] == str(tmp_path / "from-file.sqlite3")
    assert found["password"] == "s3cret$with$dollars"


def test_it_refuses_a_secret_given_twice_or_an_unreadable_file(tmp_path):
    (tmp_path / "key").write_text("k" * 50)
    both = run_settings(DEBUG="0", SECRET_KEY="x" * 50, SECRET_KEY_FILE=str(tmp_path / "key"))
    assert "Set SECRET_KEY or SECRET_KEY_FILE, not both." in both.stderr
    missing = run_settings(DEBUG="0", SECRET_KEY_FILE=str(tmp_path / "nope"))
    assert f"SECRET_KEY_FILE='{tmp_path / 'nope'}' cannot be read" in missing.stderr
    (tmp_path / "empty").write_text("\n")
    empty = run_settings(DEBUG="0", SECRET_KEY_FILE=str(tmp_path / "empty"))
    assert "is empty" in empty.stderr


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# a comment\nexport DEBUG=1\nSECRET_KEY='from-the-file$1'\nALLOWED_HOSTS=a.example\n"
    )
    found = settings_of(env_file=str(env_file), ALLOWED_HOSTS="b.example")
    assert found["debug"] is True
    assert found["secret"] == "from-the-file$1"
    assert found["hosts"] == ["b.example"]


def test_it_keeps_database_connections_healthy_and_mails_errors_to_admins():
    found = settings_of(DEBUG="1", ADMINS="it@oie.go.th, ops@oie.go.th")
    assert found["health"] is True
    assert found["admins"] == [["it@oie.go.th", "it@oie.go.th"], ["ops@oie.go.th", "ops@oie.go.th"]]
    assert found["engine"] == "django.db.backends.sqlite3"


@override_settings(ADMINS=[("it@oie.go.th", "it@oie.go.th")], DEBUG=False)
def test_a_server_error_is_mailed_to_the_admins(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas.staff)
    with mock.patch("ita_portal.views.render", side_effect=RuntimeError("boom")):
        assert client.get("/").status_code == 500
    [message] = mail.outbox
    assert message.to == ["it@oie.go.th"]
    assert "RuntimeError" in message.body

"""Backup and restore: every row and file comes back; a bad archive changes nothing."""

import gzip
import hashlib
import io
import json
import re
import sqlite3
import stat
import tarfile
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from ita_portal.backup import DATA, backed_up_models, manifest_signature
from jobs.models import Job
from tests.accounts.builders import make_superuser
from tests.demo import load_demo

# The database's own dump: pg_dump's custom format on PostgreSQL, a database file on SQLite.
DUMP = DATA[connection.vendor]

pytestmark = pytest.mark.django_db(transaction=True)

MEDIA_FILES = {
    "evidence/2564/รายงาน รอบ 6 เดือน.pdf": b"%PDF-1.7 demo evidence\n",
    "evidence/2564/photo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
    "imports/scores.xlsx": b"PK\x03\x04 workbook",
}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, payload in MEDIA_FILES.items():
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
    return settings.MEDIA_ROOT


@pytest.fixture
def data(media) -> None:
    """Every app's demo data, plus rows of the admin log, the lockout and a user's groups."""
    load_demo()
    admin = User.objects.get(username="admin")
    agency = Agency.objects.get(code="oie")
    LogEntry.objects.log_actions(
        user_id=admin.pk, queryset=[agency], action_flag=ADDITION, change_message="added"
    )
    AccessAttempt.objects.create(
        username="staff",
        ip_address="10.0.0.1",
        user_agent="test",
        path_info="/accounts/login/",
        failures_since_start=2,
        attempt_time=timezone.now(),
    )


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every model; many-to-many rows without their (regenerated) ids."""
    rows = {}
    for model in backed_up_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not (model._meta.auto_created and f.primary_key)
        ]
        rows[model._meta.label_lower] = sorted(
            model._base_manager.values_list(*fields), key=lambda row: tuple(map(str, row))
        )
    return rows


def media_state(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def backup(tmp_path: Path) -> Path:
    archive = tmp_path / "backups" / "ita.tar.gz"
    call_command("backup", output=archive, stdout=StringIO())
    return archive


def restore(archive: Path, **options) -> str:
    out = StringIO()
    call_command("restore", str(archive), stdout=out, **options)
    return out.getvalue()


def wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in media.rglob("*.pdf"):
        path.unlink()
    (media / "stray.txt").write_text("not in the backup")


def test_it_restores_every_row_and_file(data, media, tmp_path):
    rows, files = snapshot(), media_state(media)
    assert sum(len(r) for r in rows.values()) > 50
    archive = backup(tmp_path)
    wipe(media)
    assert snapshot() != rows

    output = restore(archive, yes=True)

    assert "checksums match" in output
    assert snapshot() == rows
    assert media_state(media) == files
    assert ContentType.objects.get_for_model(Agency).model_class() is Agency


def test_new_rows_after_a_restore_get_fresh_ids(data, media, tmp_path):
    archive = backup(tmp_path)
    wipe(media)
    restore(archive, yes=True)
    top_agency = Agency.objects.aggregate(top=Max("pk"))["top"]
    top_user = User.objects.aggregate(top=Max("pk"))["top"]
    top_log = LogEntry.objects.aggregate(top=Max("pk"))["top"]

    agency = Agency.objects.create(code="new", name_th="ใหม่", abbreviation="ใหม่")
    user = User.objects.create_user(username="newcomer", password="x" * 20, agency=agency)
    entry = LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[agency], action_flag=ADDITION, change_message="added"
    )[0]

    assert agency.pk > top_agency
    assert user.pk > top_user
    assert entry.pk > top_log


def test_the_archive_holds_a_manifest_of_rows_and_checksums(data, media, tmp_path):
    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        assert tar.getnames()[:3] == ["manifest.json", "manifest.sig", DUMP]
        assert {member.mode for member in tar.getmembers()} == {0o600}
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"] == connection.vendor
    assert manifest["rows"]["accounts.user"] == User.objects.count()
    assert manifest["rows"]["auth.group"] == len(Role)  # one group per role
    assert "simple_history" not in manifest["rows"]  # the app has no tables of its own
    name = "evidence/2564/photo.png"
    expected = hashlib.sha256(MEDIA_FILES[name]).hexdigest()
    assert manifest["files"][name] == {"sha256": expected, "size": len(MEDIA_FILES[name])}


def test_the_default_output_is_a_timestamped_file_in_backup_dir(data, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "nightly"
    out = StringIO()
    call_command("backup", stdout=out)
    [archive] = (tmp_path / "nightly").glob("ita-portal-*.tar.gz")
    assert str(archive) in out.getvalue()


def rewrite(archive: Path, change) -> Path:
    """Copy an archive with its members passed through change(dict name -> bytes)."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    change(members)
    bad = archive.with_name("bad.tar.gz")
    with tarfile.open(bad, "w:gz") as tar:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return bad


def edit_manifest(edit, *, sign: bool = True):
    """Change the manifest; re-sign it as someone holding the deployment's key would."""

    def change(members):
        manifest = json.loads(members["manifest.json"])
        edit(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()
        if sign:
            members["manifest.sig"] = manifest_signature(members["manifest.json"]).encode()

    return change


def resign(payload: bytes):
    def change(members):
        members["manifest.json"] = payload
        members["manifest.sig"] = manifest_signature(payload).encode()

    return change


def truncate(archive: Path) -> Path:
    bad = archive.with_name("truncated.tar.gz")
    payload = archive.read_bytes()
    bad.write_bytes(payload[: len(payload) // 2])
    return bad


def not_an_archive(archive: Path) -> Path:
    bad = archive.with_name("notes.tar.gz")
    bad.write_text("this is not an archive")
    return bad


def tamper_file(members):
    members["media/evidence/2564/photo.png"] = b"changed"


def drop_file(members):
    del members["media/imports/scores.xlsx"]


def add_file(members):
    members["media/extra.exe"] = b"MZ"


def escape_path(members):
    members["media/../../escaped.txt"] = b"outside"


def tamper_data(members):
    assert b"oie" in members[DUMP]  # the dump holds the rows' text as it is
    members[DUMP] = members[DUMP].replace(b"oie", b"xyz", 1)


def drop_manifest(members):
    del members["manifest.json"]


def count_more_users(manifest):
    manifest["rows"]["accounts.user"] += 1


def other_schema(manifest):
    manifest["schema"] = [*manifest["schema"], "accounts.9999_future"]


def other_format(manifest):
    manifest["format"] = "something-else/9"


def other_database(manifest):
    manifest["database"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"


def malformed(manifest):
    del manifest["files"]


def make_staff_superuser(dump: bytes) -> bytes:
    """Return the dump with the user staff made a superuser, as a forger would edit it."""
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "forged.sqlite3"
            path.write_bytes(dump)
            database = sqlite3.connect(path)
            database.execute(
                "UPDATE accounts_user SET is_superuser = 1, is_staff = 1 WHERE username = 'staff'"
            )
            database.commit()
            database.close()
            return path.read_bytes()
    # pg_dump's uncompressed COPY rows: id, password, last_login, is_superuser, username, ...
    forged = re.sub(rb"\t[ft]\tstaff\t", b"\tt\tstaff\t", dump, count=1)
    assert forged != dump
    return forged


def forge_superuser(members):
    """A staff user made superuser, the checksums recomputed: all but the signature agrees."""
    members[DUMP] = make_staff_superuser(members[DUMP])
    digest = hashlib.sha256(members[DUMP]).hexdigest()
    edit_manifest(lambda m: m["data"].update(sha256=digest, size=len(members[DUMP])), sign=False)(
        members
    )


def drop_signature(members):
    del members["manifest.sig"]


def media_as_a_file(members):
    members["media"] = b"not a directory"


def plain_tar(archive: Path) -> Path:
    bad = archive.with_name("plain.tar")
    with tarfile.open(bad, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        tar.addfile(info, io.BytesIO(b""))
    return bad


def gzip_not_tar(archive: Path) -> Path:
    bad = archive.with_name("notes.tar.gz")
    bad.write_bytes(gzip.compress(b"these are notes, not a tar archive" * 50))
    return bad


BAD_ARCHIVES = {
    "truncated": (truncate, "not a complete .tar.gz backup archive"),
    "not-an-archive": (not_an_archive, "not a complete .tar.gz backup archive"),
    "not-gzip": (plain_tar, "not a complete .tar.gz backup archive"),
    "gzip-not-tar": (gzip_not_tar, "not a complete .tar.gz backup archive"),
    "tampered-file": (
        lambda a: rewrite(a, tamper_file),
        "'evidence/2564/photo.png' differs from its checksum",
    ),
    "missing-file": (
        lambda a: rewrite(a, drop_file),
        "'imports/scores.xlsx' is missing from the archive",
    ),
    "extra-file": (
        lambda a: rewrite(a, add_file),
        "Media files not in the manifest: ['extra.exe']",
    ),
    "path-traversal": (lambda a: rewrite(a, escape_path), "unsafe path"),
    "media-not-a-folder": (lambda a: rewrite(a, media_as_a_file), "unexpected member: 'media'"),
    "tampered-data": (
        lambda a: rewrite(a, tamper_data),
        f"{DUMP} is missing or its checksum differs",
    ),
    "no-manifest": (lambda a: rewrite(a, drop_manifest), "has no readable manifest.json"),
    "unsigned": (lambda a: rewrite(a, drop_signature), "The archive is not signed"),
    "forged-superuser": (
        lambda a: rewrite(a, forge_superuser),
        "signature does not match this deployment's key",
    ),
    "bad-json": (lambda a: rewrite(a, resign(b"{not json")), "manifest.json is not valid JSON"),
    "manifest-a-list": (
        lambda a: rewrite(a, resign(b"[1, 2]")),
        "malformed: '(the whole manifest)'",
    ),
    "row-count-mismatch": (lambda a: rewrite(a, edit_manifest(count_more_users)), "Row counts"),
    "schema-mismatch": (
        lambda a: rewrite(a, edit_manifest(other_schema)),
        "other migrations than this",
    ),
    "format": (
        lambda a: rewrite(a, edit_manifest(other_format)),
        "format is 'something-else/9'",
    ),
    "other-database": (
        lambda a: rewrite(a, edit_manifest(other_database)),
        f"and this portal runs on {connection.vendor}",
    ),
    "malformed-manifest": (
        lambda a: rewrite(a, edit_manifest(malformed)),
        "manifest.json is malformed: 'files'",
    ),
    "no-file": (lambda a: a.with_name("missing.tar.gz"), "does not exist"),
}


@pytest.mark.parametrize(
    ("make_bad", "message"), list(BAD_ARCHIVES.values()), ids=list(BAD_ARCHIVES)
)
def test_it_refuses_a_bad_archive_and_changes_nothing(data, media, tmp_path, make_bad, message):
    bad = make_bad(backup(tmp_path))
    (media / "added-after-backup.txt").write_text("kept")
    rows, files = snapshot(), media_state(media)

    with pytest.raises(CommandError) as refused:
        restore(bad, yes=True)

    assert str(refused.value).startswith("Restore refused: ")
    assert str(refused.value).endswith("Nothing was changed.")
    assert message in str(refused.value)
    assert snapshot() == rows
    assert media_state(media) == files
    assert not (tmp_path / "escaped.txt").exists()
    assert not list(media.parent.glob(".restore-*")), "the unpacked copy is removed"


def test_it_asks_before_wiping(data, media, tmp_path):
    archive = backup(tmp_path)
    Agency.objects.create(code="later", name_th="ภายหลัง", abbreviation="ภ.")
    with mock.patch("builtins.input", return_value="no"), pytest.raises(CommandError) as error:
        restore(archive)
    assert "Restore cancelled; nothing was changed." in str(error.value)
    assert Agency.objects.filter(code="later").exists()

    with mock.patch("builtins.input", return_value="yes"):
        restore(archive)
    assert not Agency.objects.filter(code="later").exists()


def test_the_archive_is_readable_by_its_owner_only(data, tmp_path):
    archive = backup(tmp_path)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700


def test_an_archive_signed_with_another_key_is_refused(data, media, tmp_path, settings):
    archive = backup(tmp_path)
    settings.BACKUP_KEY = "the key of another deployment"
    with pytest.raises(CommandError, match="signature does not match"):
        restore(archive, yes=True)


def test_the_backup_key_lets_an_archive_outlive_the_secret_key(data, media, tmp_path, settings):
    settings.BACKUP_KEY = "kept with the off-site copies"
    archive = backup(tmp_path)
    settings.SECRET_KEY = "a rotated secret key, fifty characters long or more......"
    assert "checksums match" in restore(archive, yes=True)


def test_a_backup_runs_as_a_superusers_background_job(data, media, tmp_path):
    root = make_superuser("root")
    archive = tmp_path / "backups" / "queued.tar.gz"
    out = StringIO()
    call_command("backup", output=archive, in_background="root", stdout=out)
    job = Job.objects.get(owner=root, kind="backup")
    # The immediate backend of the tests has run it; a worker would in production.
    assert job.status == Job.Status.DONE and str(archive) in job.message
    assert f"/jobs/{job.pk}/" in out.getvalue()
    assert "checksums match" in restore(archive, yes=True)
    with pytest.raises(CommandError, match="not a superuser"):
        call_command("backup", in_background="staff", stdout=StringIO())

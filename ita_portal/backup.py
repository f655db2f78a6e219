"""Backup archives: every row of every app and every media file in one signed .tar.gz.

An archive holds, in this order:
    manifest.json  format, creation time, schema (applied migrations), rows per model,
                   SHA-256 and size of data.jsonl and of each media file
    manifest.sig   HMAC-SHA256 of manifest.json's bytes, keyed by BACKUP_KEY (or, when it is
                   not set, SECRET_KEY): whoever lacks the key cannot make an archive that
                   restores, even one whose checksums all agree
    data.jsonl     every row of every app as `dumpdata --all --format jsonl` writes it, but
                   with times to the microsecond (primary keys kept)
    media/<path>   the files under MEDIA_ROOT
The archive holds password hashes and session keys, so it is written readable by its owner
only (0600). A restore unpacks and checks the whole archive (signature, shape, checksums,
schema) before it changes anything, then wipes the database and loads the rows in one
transaction, which it commits only when every model's row count equals the manifest's; the
media files are swapped in after the commit.
"""

import datetime
import hashlib
import hmac
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.crypto import salted_hmac

FORMAT = "ita-portal-backup/2"  # /1 archives were unsigned
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATA = "data.jsonl"
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """An archive that cannot be restored; the message says why and what to do."""


@dataclass(frozen=True)
class Staged:
    """A checked archive unpacked into a directory beside MEDIA_ROOT."""

    manifest: dict
    directory: Path

    @property
    def data(self) -> Path:
        return self.directory / DATA

    @property
    def media(self) -> Path:
        return self.directory / MEDIA


def backed_up_models() -> list:
    """Return every model whose table holds data: concrete, managed, many-to-many tables too."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    """Count the rows of every backed-up model, keyed by its label."""
    return {model._meta.label_lower: model._base_manager.count() for model in backed_up_models()}


def schema() -> list[str]:
    """Return the applied migrations, as "app.name", sorted."""
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> list[Path]:
    """Return the regular files under root, sorted; symbolic links are not followed."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def manifest_signature(payload: bytes) -> str:
    """Return the hex HMAC of a manifest's bytes under this deployment's backup key."""
    secret = settings.BACKUP_KEY or settings.SECRET_KEY
    return salted_hmac(
        "ita_portal.backup.manifest", payload, secret=secret, algorithm="sha256"
    ).hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(payload))


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder without its cut of times to milliseconds: a restore keeps every digit."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump(data: Path) -> dict[str, int]:
    """Dump every row to data and count the rows, both from one consistent snapshot."""
    with transaction.atomic(), data.open("w", encoding="utf-8") as stream:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = row_counts()
        for model in backed_up_models():
            if model._meta.auto_created:
                continue  # many-to-many rows travel with the objects that hold the field
            rows = model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)
            serializers.serialize("jsonl", rows, stream=stream, cls=ExactJSONEncoder)
    return counts


def backup_create(*, output: Path) -> dict:
    """Write a signed archive of the database and MEDIA_ROOT (mode 0600); return its manifest."""
    output = Path(output)
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="ita-backup-") as tmp:
        data = Path(tmp) / DATA
        counts = _dump(data)
        files = {
            path.relative_to(media_root).as_posix(): {
                "sha256": sha256_of(path),
                "size": path.stat().st_size,
            }
            for path in media_files(media_root)
        }
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "database": connection.vendor,
            "schema": schema(),
            "rows": counts,
            "data": {"sha256": sha256_of(data), "size": data.stat().st_size},
            "files": files,
        }
        payload = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
        partial = output.with_name(output.name + ".part")
        partial.unlink(missing_ok=True)
        # Created 0600 before a byte is written: the archive holds password hashes.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(descriptor, "wb") as stream,
            tarfile.open(fileobj=stream, mode="w:gz") as tar,
        ):
            _add_bytes(tar, MANIFEST, payload)
            _add_bytes(tar, SIGNATURE, manifest_signature(payload).encode())
            tar.add(data, arcname=DATA, filter=_private)
            for name in files:
                tar.add(
                    media_root / name, arcname=f"{MEDIA}/{name}", recursive=False, filter=_private
                )
        partial.replace(output)
    return manifest


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode = 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _member_target(member: tarfile.TarInfo, staging: Path) -> Path:
    """Return where a member unpacks, refusing links, devices and paths leaving the archive."""
    name = PurePosixPath(member.name)
    if not member.isfile():
        raise BackupError(f"The archive holds {member.name!r}, which is not a regular file.")
    if name.is_absolute() or ".." in name.parts or "\\" in member.name:
        raise BackupError(f"The archive holds an unsafe path: {member.name!r}.")
    expected = member.name in {MANIFEST, SIGNATURE, DATA}
    if not expected and not (name.parts[0] == MEDIA and len(name.parts) > 1):
        raise BackupError(f"The archive holds an unexpected member: {member.name!r}.")
    return staging.joinpath(*name.parts)


def _unpack(archive: Path, staging: Path) -> None:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                target = _member_target(member, staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                with target.open("xb") as stream:
                    shutil.copyfileobj(source, stream, CHUNK)
    except FileExistsError as error:
        raise BackupError(f"The archive holds {error.filename!r} twice.") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            f"{archive} is not a complete .tar.gz backup archive ({error}). "
            "It may be truncated or corrupt: use another copy."
        ) from None


def _verified_manifest(staging: Path) -> dict:
    """Read the manifest, refusing it unless this deployment's key signed exactly these bytes."""
    try:
        payload = (staging / MANIFEST).read_bytes()
    except OSError:
        raise BackupError(f"The archive has no readable {MANIFEST}.") from None
    try:
        signature = (staging / SIGNATURE).read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        raise BackupError(
            f"The archive is not signed (no {SIGNATURE}): it was not written by "
            "`manage.py backup` of this release, or was changed afterwards."
        ) from None
    if not hmac.compare_digest(signature, manifest_signature(payload)):
        raise BackupError(
            "The archive's signature does not match this deployment's key (BACKUP_KEY, or "
            "SECRET_KEY when it is not set): the archive was changed after it was written, or "
            "was made by a deployment with another key."
        )
    try:
        manifest = json.loads(payload.decode("utf-8"))
    except ValueError:
        raise BackupError(f"The archive's {MANIFEST} is not valid JSON.") from None
    _check_shape(manifest)
    return manifest


def _check_shape(manifest: object) -> None:
    """Refuse a manifest whose fields are missing or of the wrong type, naming the field."""

    def need(ok: bool, field: str) -> None:
        if not ok:
            raise BackupError(
                f"The archive's {MANIFEST} is malformed: {field!r} is missing or wrong."
            )

    need(isinstance(manifest, dict), "(the whole manifest)")
    for field in ("format", "created", "database"):
        need(isinstance(manifest.get(field), str), field)
    schema, rows, data = manifest.get("schema"), manifest.get("rows"), manifest.get("data")
    need(isinstance(schema, list) and all(isinstance(x, str) for x in schema), "schema")
    need(isinstance(rows, dict) and all(isinstance(n, int) for n in rows.values()), "rows")
    need(isinstance(data, dict) and isinstance(data.get("sha256"), str), "data")
    files = manifest.get("files")
    need(isinstance(files, dict), "files")
    for name, entry in files.items():
        ok = isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
        need(ok and isinstance(entry.get("size"), int), f"files[{name!r}]")


def _check(manifest: dict, staging: Path) -> None:
    if manifest["format"] != FORMAT:
        raise BackupError(f"The archive's format is {manifest['format']!r}, not {FORMAT!r}.")
    data = staging / DATA
    if not data.is_file() or sha256_of(data) != manifest["data"]["sha256"]:
        raise BackupError(f"{DATA} is missing or its checksum differs from the manifest's.")
    listed = set(manifest["files"])
    present = {
        path.relative_to(staging / MEDIA).as_posix() for path in media_files(staging / MEDIA)
    }
    if present - listed:
        raise BackupError(f"Media files not in the manifest: {sorted(present - listed)[:5]}.")
    for name, expected in sorted(manifest["files"].items()):
        path = staging / MEDIA / name
        if name not in present:
            raise BackupError(f"The media file {name!r} is missing from the archive.")
        if path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"The media file {name!r} differs from its checksum.")
    current = schema()
    if manifest["schema"] != current:
        missing = sorted(set(manifest["schema"]) - set(current))
        extra = sorted(set(current) - set(manifest["schema"]))
        raise BackupError(
            "The archive was made with other migrations than this database has "
            f"(only in the archive: {missing[:5]}; only here: {extra[:5]}). Restore it with the "
            "release that made it, then upgrade with `manage.py migrate`."
        )


@contextmanager
def backup_staged(*, archive: Path) -> Iterator[Staged]:
    """Unpack and check an archive beside MEDIA_ROOT; remove the unpacked copy afterwards."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Beside MEDIA_ROOT, so that swapping the media in is a rename on one file system.
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=media_root.parent) as tmp:
        staging = Path(tmp)
        _unpack(archive, staging)
        manifest = _verified_manifest(staging)
        _check(manifest, staging)
        (staging / MEDIA).mkdir(exist_ok=True)
        yield Staged(manifest=manifest, directory=staging)


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def _history_off() -> Iterator[None]:
    """Stop django-simple-history recording: the archive holds the history rows themselves.

    Saves from loaddata are "raw" and skipped anyway, but setting many-to-many fields would
    add a historical row each (m2m_fields history).
    """
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = previous


@transaction.atomic
def _load(staged: Staged) -> None:
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    with _history_off():
        try:
            call_command("loaddata", str(staged.data), verbosity=0)
        except (DeserializationError, DatabaseError) as error:
            raise BackupError(f"The archive's rows could not be loaded ({error}).") from None
    _reset_sequences()
    counts = row_counts()
    expected = staged.manifest["rows"]
    if counts != expected:
        differences = {
            label: (expected.get(label), counts.get(label))
            for label in sorted(set(counts) | set(expected))
            if counts.get(label) != expected.get(label)
        }
        raise BackupError(f"Row counts differ from the manifest (expected, loaded): {differences}.")


def backup_restore(*, staged: Staged) -> None:
    """Replace the database and MEDIA_ROOT with a staged archive's, all or nothing."""
    media_root = Path(settings.MEDIA_ROOT)
    previous = staged.directory / "previous-media"
    _load(staged)
    # Move entries rather than the directory itself: MEDIA_ROOT may be a mount point.
    media_root.mkdir(parents=True, exist_ok=True)
    previous.mkdir()
    for entry in list(media_root.iterdir()):
        shutil.move(entry, previous / entry.name)
    for entry in list(staged.media.iterdir()):
        shutil.move(entry, media_root / entry.name)
    ContentType.objects.clear_cache()
    cache.clear()

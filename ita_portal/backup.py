"""Backup archives: every row of every app and every media file in one verified .tar.gz.

An archive holds, in this order:
    manifest.json  format, creation time, schema (applied migrations), rows per model,
                   SHA-256 and size of data.jsonl and of each media file
    data.jsonl     every row of every app as `dumpdata --all --format jsonl` writes it, but
                   with times to the microsecond (primary keys kept)
    media/<path>   the files under MEDIA_ROOT
A restore unpacks and checks the whole archive before it changes anything, then wipes the
database and loads the rows in one transaction, which it commits only when every model's row
count equals the manifest's; the media files are swapped in after the commit.
"""

import datetime
import hashlib
import io
import json
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
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "ita-portal-backup/1"
MANIFEST = "manifest.json"
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


def _add_bytes(tar: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
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
    """Write a backup archive of the database and MEDIA_ROOT to output; return its manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
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
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
            tar.add(data, arcname=DATA)
            for name in files:
                tar.add(media_root / name, arcname=f"{MEDIA}/{name}", recursive=False)
        partial.replace(output)
    return manifest


def _member_target(member: tarfile.TarInfo, staging: Path) -> Path:
    """Return where a member unpacks, refusing links, devices and paths leaving the archive."""
    name = PurePosixPath(member.name)
    if not member.isfile():
        raise BackupError(f"The archive holds {member.name!r}, which is not a regular file.")
    if name.is_absolute() or ".." in name.parts or "\\" in member.name:
        raise BackupError(f"The archive holds an unsafe path: {member.name!r}.")
    if member.name not in {MANIFEST, DATA} and name.parts[0] != MEDIA:
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


def _check(manifest: dict, staging: Path) -> None:
    if manifest.get("format") != FORMAT:
        raise BackupError(f"The archive's format is {manifest.get('format')!r}, not {FORMAT!r}.")
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
        try:
            manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise BackupError(f"{archive} has no readable {MANIFEST}.") from None
        try:
            _check(manifest, staging)
        except (KeyError, TypeError, AttributeError):
            raise BackupError(f"The {MANIFEST} of {archive} is malformed.") from None
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
        call_command("loaddata", str(staged.data), verbosity=0)
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

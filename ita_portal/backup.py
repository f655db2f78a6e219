"""Backup archives: the database's own dump and every media file in one signed .tar.gz.

An archive holds, in this order:
    manifest.json  format, creation time, database, schema (applied migrations), rows per
                   model, SHA-256 and size of the dump and of each media file
    manifest.sig   HMAC-SHA256 of manifest.json's bytes, keyed by BACKUP_KEY (or, when it is
                   not set, SECRET_KEY): whoever lacks the key cannot make an archive that
                   restores, even one whose checksums all agree
    data.pgdump    on PostgreSQL: `pg_dump --format=custom` of the whole database (the cache
                   tables' rows left out), taken in the snapshot the row counts were read in
    data.sqlite3   on SQLite: a copy of the database file made with SQLite's backup API
    media/<path>   the files under MEDIA_ROOT
The archive holds password hashes and session keys, so it is written readable by its owner
only (0600). A restore unpacks and checks the whole archive (signature, shape, checksums,
schema, database kind) before it changes anything, then replaces the database in one step:
PostgreSQL through pg_restore's SQL in one psql transaction that ends by comparing every
table's row count with the manifest (a difference rolls it all back); SQLite by checking the
copy's row counts first and then copying it over the live database with the backup API. The
media files are swapped in afterwards. Both are the databases' own bulk paths: no row is
saved one at a time (docs/performance.md, bench/backup).

Longer than the project's 400 lines on purpose: writing and checking an archive share its format
(the manifest's shape, the member names, the signature), which one module keeps in one place.
"""

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
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
from django.core.cache import cache
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.crypto import salted_hmac

FORMAT = "ita-portal-backup/3"  # /1 were unsigned; /2 held JSON lines for loaddata
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# The dump's member, by database.
DATA = {"postgresql": "data.pgdump", "sqlite": "data.sqlite3"}
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
        return self.directory / DATA[self.manifest["database"]]

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


def cache_tables() -> list[str]:
    """Return the tables of the database caches: rebuilt by use, never worth restoring."""
    return [
        cache_settings["LOCATION"]
        for cache_settings in settings.CACHES.values()
        if cache_settings["BACKEND"].endswith("DatabaseCache")
    ]


def _postgresql_env() -> dict[str, str]:
    """Return the environment that points pg_dump, pg_restore and psql at Django's database."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for variable, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")]:
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    try:
        # The PostgreSQL client programs, by name, with arguments of our own making.
        return subprocess.run(command, env=_postgresql_env(), capture_output=True, **options)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs "
            "(apt-get install postgresql-client), the same major version as the server or newer."
        ) from None


def _dump_postgresql(target: Path) -> dict[str, int]:
    # Counts and dump read one snapshot: the manifest's counts are the dump's.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        counts = row_counts()
        # Uncompressed: the archive's gzip compresses it once.
        command = ["pg_dump", "--format=custom", "--compress=0", "--no-owner", "--no-privileges"]
        command += [f"--snapshot={snapshot}", f"--file={target}"]
        command += [f"--exclude-table-data={table}" for table in cache_tables()]
        done = _run(command)
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.decode(errors='replace')[-500:]}")
    return counts


def _sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    return {
        model._meta.label_lower: database.execute(
            f'SELECT COUNT(*) FROM "{model._meta.db_table}"'  # noqa: S608 (the model's table)
        ).fetchone()[0]
        for model in backed_up_models()
    }


def _dump_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
        for table in cache_tables():
            if table in present:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 (a cache setting's table)
        copy.commit()
        # Counted in the copy itself: the manifest's counts are the dump's.
        return _sqlite_counts(copy)
    finally:
        copy.close()


def _dump(target: Path) -> dict[str, int]:
    """Dump the whole database to target and return its rows per model."""
    if connection.vendor == "postgresql":
        return _dump_postgresql(target)
    if connection.vendor == "sqlite":
        return _dump_sqlite(target)
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def backup_create(*, output: Path) -> dict:
    """Write a signed archive of the database and MEDIA_ROOT (mode 0600); return its manifest."""
    output = Path(output)
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="ita-backup-") as tmp:
        data = Path(tmp) / DATA.get(connection.vendor, "data")
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
            tar.add(data, arcname=data.name, filter=_private)
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
    expected = member.name in {MANIFEST, SIGNATURE, *DATA.values()}
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
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"The archive holds a {manifest['database']} database and this portal runs on "
            f"{connection.vendor}: restore it on {manifest['database']}."
        )
    data = staging / DATA[manifest["database"]]
    if not data.is_file() or sha256_of(data) != manifest["data"]["sha256"]:
        raise BackupError(f"{data.name} is missing or its checksum differs from the manifest's.")
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


def _count_differences(expected: dict[str, int], counts: dict[str, int]) -> str:
    differences = {
        label: (expected.get(label), counts.get(label))
        for label in sorted(set(counts) | set(expected))
        if counts.get(label) != expected.get(label)
    }
    return f"Row counts differ from the manifest (expected, loaded): {differences}."


def _check_sql(expected: dict[str, int]) -> str:
    """Return SQL that fails the restore's transaction unless each table has the manifest's rows."""
    tables = {model._meta.label_lower: model._meta.db_table for model in backed_up_models()}
    checks = []
    for label, table in sorted(tables.items()):
        want = int(expected.get(label, -1))
        checks.append(
            f'SELECT COUNT(*) INTO loaded FROM "{table}"; IF loaded <> {want} THEN '  # noqa: S608
            f"RAISE EXCEPTION 'Row counts differ from the manifest: {label} expected {want}, "
            "loaded %', loaded; END IF;"
        )
    # pg_restore's script empties search_path; the tables are where Django finds them.
    return (
        "RESET search_path;\nDO $$ DECLARE loaded bigint; BEGIN " + " ".join(checks) + " END $$;\n"
    )


def _load_postgresql(staged: Staged) -> None:
    labels = {model._meta.label_lower for model in backed_up_models()}
    if set(staged.manifest["rows"]) != labels:
        raise BackupError(_count_differences(staged.manifest["rows"], dict.fromkeys(labels, 0)))
    connection.close()  # no lock of ours may stand in the way of the DROPs
    restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    restore += ["--file=-", str(staged.data)]
    psql = ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1"]
    env = _postgresql_env()
    try:
        # The PostgreSQL client programs, by name, with arguments of our own making.
        script = subprocess.Popen(restore, env=env, stdout=subprocess.PIPE)  # noqa: S603
        loader = subprocess.Popen(  # noqa: S603
            psql, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{error.filename} is not installed: install PostgreSQL's client programs."
        ) from None
    with script.stdout:
        while chunk := script.stdout.read(CHUNK):
            loader.stdin.write(chunk)
    # The last statement of the one transaction: every table's count, or everything undone.
    loader.stdin.write(_check_sql(staged.manifest["rows"]).encode())
    loader.stdin.close()
    errors = loader.stderr.read().decode(errors="replace")
    if script.wait() or loader.wait():
        reason = next((line for line in errors.splitlines() if "Row counts" in line), "")
        raise BackupError(reason.split("ERROR:", 1)[-1].strip() or f"psql failed: {errors[-500:]}")


def _load_sqlite(staged: Staged) -> None:
    copy = sqlite3.connect(staged.data)
    try:
        counts = _sqlite_counts(copy)
        if counts != staged.manifest["rows"]:
            raise BackupError(_count_differences(staged.manifest["rows"], counts))
        connection.ensure_connection()
        # One step: the live database is written in one transaction, all or nothing.
        copy.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The archive's database could not be read ({error}).") from None
    finally:
        copy.close()


def backup_restore(*, staged: Staged) -> None:
    """Replace the database and MEDIA_ROOT with a staged archive's, all or nothing."""
    media_root = Path(settings.MEDIA_ROOT)
    previous = staged.directory / "previous-media"
    if staged.manifest["database"] == "postgresql":
        _load_postgresql(staged)
    else:
        _load_sqlite(staged)
    # Move entries rather than the directory itself: MEDIA_ROOT may be a mount point.
    media_root.mkdir(parents=True, exist_ok=True)
    previous.mkdir()
    for entry in list(media_root.iterdir()):
        shutil.move(entry, previous / entry.name)
    for entry in list(staged.media.iterdir()):
        shutil.move(entry, media_root / entry.name)
    ContentType.objects.clear_cache()
    cache.clear()

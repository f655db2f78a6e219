"""Uploaded workbooks waiting between their preview and their confirmation."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils import timezone

PENDING_MAX_AGE = timedelta(days=1)


def file_sha256(file: IO[bytes]) -> tuple[str, int]:
    """Return a file's SHA-256 (hex) and size, reading it a megabyte at a time."""
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    for block in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(block)
        size += len(block)
    file.seek(0)
    return digest.hexdigest(), size


def pending_path(sha256: str) -> Path:
    """Return where an uploaded workbook waits between preview and confirmation."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a SHA-256 digest")
    return Path(settings.MEDIA_ROOT) / "imports" / f"{sha256}.xlsx"


def pending_store(*, file: IO[bytes]) -> str:
    """Keep an upload under MEDIA_ROOT/imports/ named by its SHA-256; sweep stale ones."""
    sha256, _size = file_sha256(file)
    path = pending_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    cutoff = timezone.now().timestamp() - PENDING_MAX_AGE.total_seconds()
    for stale in path.parent.glob("*.xlsx"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)
    temporary = path.with_suffix(".part")
    with temporary.open("wb") as target:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            target.write(block)
    temporary.replace(path)
    return sha256


def pending_discard(*, sha256: str) -> None:
    """Remove a waiting upload (after its commit, or when it was refused)."""
    pending_path(sha256).unlink(missing_ok=True)

"""Refuse an upload that is not a safe xlsx before any part of it is parsed."""

from __future__ import annotations

import zipfile
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from imports.problems import Problem, WorkbookRefused

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# A real sheet's XML shrinks about 10-30 times; a zip bomb shrinks hundreds or thousands of times.
MAX_COMPRESSION_RATIO = 200


def refuse(code: str, template: Any, file_name: str, **params: Any) -> WorkbookRefused:
    return WorkbookRefused([Problem(code, template, params, file=file_name)])


def max_uncompressed_bytes() -> int:
    """Return the cap on the workbook's unzipped size (default 25 times the upload cap)."""
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 25 * settings.IMPORT_MAX_BYTES)


def check_container(data: IO[bytes], file_name: str, size: int) -> None:
    """Refuse a file that is too big, not a zip, password-protected, truncated or a zip bomb."""
    if size > settings.IMPORT_MAX_BYTES:
        raise refuse(
            "too_big",
            _("the file is %(size)s MB; the limit is %(limit)s MB."),
            file_name,
            size=f"{size / 1024 / 1024:.1f}",
            limit=f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:g}",
        )
    data.seek(0)
    head = data.read(8)
    data.seek(0)
    if head == OLE2_SIGNATURE:
        raise refuse(
            "password_protected",
            _(
                "the file is password-protected or an old .xls workbook; remove the password "
                "or save it as .xlsx (Excel Workbook) and upload it again."
            ),
            file_name,
        )
    if not head.startswith(ZIP_SIGNATURE):
        raise refuse(
            "not_xlsx",
            _("the file is not an Excel workbook (.xlsx); save it as .xlsx and upload it again."),
            file_name,
        )
    try:
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise refuse(
            "truncated",
            _("the file is truncated or corrupt (it could not be opened as a zip archive)."),
            file_name,
        ) from None
    finally:
        data.seek(0)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise refuse(
            "not_xlsx",
            _("the file is not an Excel workbook (.xlsx); save it as .xlsx and upload it again."),
            file_name,
        )
    total = sum(member.file_size for member in members)
    # zipfile never inflates a member beyond its declared size (a lie fails the CRC check), so the
    # declared sizes bound what parsing can cost.
    bomb = total > max_uncompressed_bytes() or any(
        member.file_size > 1_000_000
        and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if bomb:
        raise refuse(
            "zip_bomb",
            _(
                "the file unpacks to %(size)s MB, far more than a score workbook holds "
                "(limit %(limit)s MB, at most %(ratio)s times its packed size); it was not opened."
            ),
            file_name,
            size=f"{total / 1024 / 1024:.0f}",
            limit=f"{max_uncompressed_bytes() / 1024 / 1024:g}",
            ratio=MAX_COMPRESSION_RATIO,
        )

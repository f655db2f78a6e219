"""Evidence files: recognise the type by content (magic bytes), never trust the name or header.

A file is accepted only when its first bytes match one of the allowed kinds and its name's
extension belongs to that kind. It is stored under a generated name; the user's name is kept
only as data, for the download's Content-Disposition.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", (".pdf",))
PNG = Kind("image/png", (".png",))
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"))
GIF = Kind("image/gif", (".gif",))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
OLE = Kind("application/octet-stream", (".doc", ".xls", ".ppt"))
OLE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
ALLOWED_EXTENSIONS = sorted(
    ext for kind in (PDF, PNG, JPEG, GIF, DOCX, XLSX, PPTX, OLE) for ext in kind.extensions
)
_FORBIDDEN_NAME_CHARS = set('/\\:*?"<>|\x00')


def _sniff(head: bytes, file) -> Kind | None:
    """Return the kind the content shows, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for prefix, kind in OOXML_PARTS.items():
            if any(name.startswith(prefix) for name in names):
                return kind
    return None


def check_file_name(name: str) -> str:
    """Return the name if it is a plain file name; refuse paths and hidden or odd names."""
    if (
        not name
        or len(name) > 200
        or name.startswith(".")
        or ".." in name
        or any(ch in _FORBIDDEN_NAME_CHARS or ord(ch) < 32 for ch in name)
    ):
        raise ValidationError(
            _("The file name is not allowed. Rename the file and try again."), code="file_name"
        )
    return name


def check_evidence_file(file) -> tuple[str, str]:
    """Validate an uploaded evidence file; return (content type, extension) or raise."""
    name = check_file_name(file.name)
    if file.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.")
            % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
            code="file_size",
        )
    if file.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    extension = PurePosixPath(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Only PDF, images (PNG, JPEG, GIF) and Office documents are accepted."),
            code="file_type",
        )
    file.seek(0)
    head = file.read(16)
    kind = _sniff(head, file)
    file.seek(0)
    if kind is None or extension not in kind.extensions:
        raise ValidationError(
            _("The file's content is not a %(ext)s file.") % {"ext": extension[1:].upper()},
            code="file_content",
        )
    content_type = OLE_TYPES[extension] if kind is OLE else kind.content_type
    return content_type, extension


def evidence_upload_to(instance, filename: str) -> str:
    """Store evidence under a random name, keeping only the checked extension."""
    extension = PurePosixPath(filename).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        extension = ""
    return f"evidence/{uuid.uuid4().hex}{extension}"

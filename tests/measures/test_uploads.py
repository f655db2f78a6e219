import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from measures.uploads import check_evidence_file, check_file_name, evidence_upload_to
from tests.measures.builders import PDF_BYTES


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ooxml(part: str) -> bytes:
    # The members carry a fixed date, not the clock's: the bytes are part of the tests' ids, which
    # every pytest-xdist worker must collect alike.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (("[Content_Types].xml", "<Types/>"), (part, "<x/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def code_of(error: pytest.ExceptionInfo) -> str:
    return error.value.error_list[0].code


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", PDF_BYTES, "application/pdf"),
        ("photo.PNG", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
        ("anim.gif", b"GIF89a" + b"\0" * 20, "image/gif"),
        ("memo.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, "application/msword"),
        (
            "memo.docx",
            ooxml("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "sheet.xlsx",
            ooxml("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_it_accepts_allowed_types_by_content(name, content, content_type):
    assert check_evidence_file(upload(name, content))[0] == content_type


def test_it_refuses_an_executable_renamed_pdf():
    with pytest.raises(ValidationError) as error:
        check_evidence_file(upload("report.pdf", b"MZ\x90\x00" + b"\0" * 100))
    assert code_of(error) == "file_content"


def test_it_refuses_a_pdf_named_as_a_word_document():
    with pytest.raises(ValidationError) as error:
        check_evidence_file(upload("memo.docx", PDF_BYTES))
    assert code_of(error) == "file_content"


def test_it_refuses_a_plain_zip_named_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.sh", "echo")
    with pytest.raises(ValidationError):
        check_evidence_file(upload("memo.docx", buffer.getvalue()))


def test_it_refuses_an_unlisted_extension():
    with pytest.raises(ValidationError) as error:
        check_evidence_file(upload("run.exe", b"MZ"))
    assert code_of(error) == "file_type"


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_it_refuses_an_oversized_file():
    with pytest.raises(ValidationError) as error:
        check_evidence_file(upload("big.pdf", PDF_BYTES + b"0" * 2000))
    assert code_of(error) == "file_size"


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "/etc/x.pdf", ".hidden.pdf", "a\x00.pdf"]
)
def test_it_refuses_path_traversal_names(name):
    with pytest.raises(ValidationError) as error:
        check_file_name(name)
    assert code_of(error) == "file_name"


def test_it_stores_under_a_generated_name():
    first = evidence_upload_to(None, "../../รายงาน.PDF")
    second = evidence_upload_to(None, "../../รายงาน.PDF")
    assert first.startswith("evidence/") and first.endswith(".pdf")
    assert first != second
    assert ".." not in first and "รายงาน" not in first

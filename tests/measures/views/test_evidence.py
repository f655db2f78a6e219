"""Adding, removing and downloading evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import Evidence, ProgressReport
from tests.measures.builders import make_report, pdf_upload
from tests.measures.views.helpers import as_user, report_url

pytestmark = pytest.mark.django_db


def test_it_uploads_and_serves_evidence_only_inside_the_agency(client, personas, world):
    report = make_report(world.activity, world.round)
    as_user(client, personas.staff)
    client.post(reverse("measures:evidence_add", args=[report.pk]), {"file": pdf_upload()})
    evidence = report.evidence.get()
    assert evidence.file.name.startswith("evidence/") and "หลักฐาน" not in evidence.file.name
    history = client.get(report_url(world)).content.decode()
    assert "เพิ่มหลักฐาน: หลักฐาน.pdf" in history
    as_user(client, personas.other_staff)
    # A draft's evidence is for its units and the reviewers; once submitted, for the agency.
    assert client.get(reverse("measures:evidence", args=[evidence.pk])).status_code == 404
    ProgressReport.objects.filter(pk=report.pk).update(state="submitted")
    response = client.get(reverse("measures:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    as_user(client, personas.outsider)
    assert client.get(reverse("measures:evidence", args=[evidence.pk])).status_code == 404


def test_it_refuses_bad_uploads(client, personas, world, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    report = make_report(world.activity, world.round)
    as_user(client, personas.staff)
    url = reverse("measures:evidence_add", args=[report.pk])
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\0" * 100)
    big = pdf_upload(content=b"%PDF-1.4\n" + b"0" * 4096)
    traversal = pdf_upload(name="../../../etc/evil.pdf")
    for upload in (exe, big):
        response = client.post(url, {"file": upload}, follow=True)
        assert response.status_code == 200
        assert not report.evidence.exists()
    client.post(url, {"file": traversal})
    # Django's parser keeps only the base name; the file is stored under a generated name.
    evidence = report.evidence.get()
    assert evidence.original_name == "evil.pdf"
    assert evidence.file.name.startswith("evidence/") and "evil" not in evidence.file.name
    assert client.post(url, {}).status_code == 302
    assert report.evidence.count() == 1


def test_it_removes_evidence_for_editors_only(client, personas, world):
    report = make_report(world.activity, world.round)
    evidence = Evidence.objects.create(report=report, url="https://example.go.th/a")
    url = reverse("measures:evidence_delete", args=[evidence.pk])
    as_user(client, personas.other_staff)
    assert client.post(url).status_code == 403
    as_user(client, personas.staff)
    assert client.post(url).status_code == 302
    assert not report.evidence.exists()

"""Adding, removing, downloading and reusing evidence."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import Evidence, ProgressReport
from tests.measures.builders import make_report, make_round, pdf_upload
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


def test_it_attaches_an_earlier_rounds_evidence_to_this_rounds_report(client, personas, world):
    first = make_report(world.activity, world.round)
    as_user(client, personas.staff)
    client.post(
        reverse("measures:evidence_add", args=[first.pk]),
        {"file": pdf_upload("ประกาศ.pdf"), "effective_on": "31/03/2564"},
    )
    evidence = first.evidence.get()
    assert evidence.effective_on == dt.date(2021, 3, 31)
    ProgressReport.objects.filter(pk=first.pk).update(state="approved")
    second_round = make_round(world.plan, 2, opens_on=dt.date(2021, 3, 1))
    second = make_report(world.activity, second_round)
    page = client.get(reverse("measures:report", args=[world.activity.pk, second_round.pk]))
    assert 'data-testid="earlier-evidence"' in page.content.decode()
    assert "ประกาศ.pdf" in page.content.decode()
    url = reverse("measures:evidence_reuse", args=[second.pk, evidence.pk])
    response = client.post(url, follow=True)
    body = response.content.decode()
    assert second.evidence.get().reused_from == evidence
    assert "จากรอบ 6 เดือน" in body and "31 มี.ค. 2564" in body
    assert 'data-testid="earlier-evidence"' not in body  # attached: nothing more to offer


def test_only_the_reports_writers_attach_earlier_evidence(client, personas, world):
    first = make_report(world.activity, world.round, state="approved")
    evidence = Evidence.objects.create(report=first, url="https://example.go.th/e")
    second = make_report(world.activity, make_round(world.plan, 2))
    url = reverse("measures:evidence_reuse", args=[second.pk, evidence.pk])
    as_user(client, personas.other_staff)
    assert client.post(url).status_code == 403
    as_user(client, personas.outsider)
    assert client.post(url).status_code == 404
    assert second.evidence.count() == 0


def test_it_refuses_an_evidence_date_in_the_future(client, personas, world):
    report = make_report(world.activity, world.round)
    as_user(client, personas.staff)
    response = client.post(
        reverse("measures:evidence_add", args=[report.pk]),
        {"url": "https://example.go.th/x", "effective_on": "31/12/2600"},
        follow=True,
    )
    assert "วันที่ที่หลักฐานแสดง ต้องไม่เป็นวันในอนาคต" in response.content.decode()
    assert report.evidence.count() == 0

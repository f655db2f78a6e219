"""An evidence file leaves the disk with its row, by any path, once the deletion commits."""

from pathlib import Path

import pytest
from django.db import transaction

from measures.models import Evidence
from tests.accounts.builders import make_superuser
from tests.measures.builders import PlanWorld, make_report, pdf_upload


@pytest.fixture
def evidence(personas, settings, tmp_path) -> Evidence:
    settings.MEDIA_ROOT = tmp_path
    world = PlanWorld(personas)
    report = make_report(world.activity, world.round)
    stored = Evidence.objects.create(
        report=report,
        file=pdf_upload(),
        original_name="หลักฐาน.pdf",
        uploaded_by=personas.staff,
    )
    assert Path(stored.file.path).is_file()
    return stored


def test_deleting_evidence_in_the_django_admin_removes_its_file(
    client, evidence, django_capture_on_commit_callbacks
):
    path = Path(evidence.file.path)
    client.force_login(make_superuser())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/measures/evidence/{evidence.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not path.exists()


def test_the_admins_bulk_delete_removes_the_files(
    client, evidence, django_capture_on_commit_callbacks
):
    path = Path(evidence.file.path)
    client.force_login(make_superuser())
    data = {"action": "delete_selected", "_selected_action": [evidence.pk], "post": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/measures/evidence/", data)
    assert not path.exists()


def test_deleting_the_report_removes_its_evidence_files(
    evidence, django_capture_on_commit_callbacks
):
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        evidence.report.delete()
    assert not path.exists()


def test_the_portals_delete_removes_the_file(
    client, personas, evidence, django_capture_on_commit_callbacks
):
    path = Path(evidence.file.path)
    client.force_login(personas.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/measures/evidence/{evidence.pk}/delete/")
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not path.exists()


def test_a_rolled_back_deletion_keeps_the_file(evidence, django_capture_on_commit_callbacks):
    path, pk = Path(evidence.file.path), evidence.pk
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        evidence.delete()
        transaction.set_rollback(True)
    assert Evidence.objects.filter(pk=pk).exists()
    assert path.is_file()

"""Evidence files and links of a report."""

import pytest
from django.core.exceptions import ValidationError

from measures import services
from tests.measures.builders import make_report, pdf_upload

pytestmark = pytest.mark.django_db


def test_it_adds_and_removes_evidence(personas, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(world.activity, world.round)
    evidence = services.evidence_add(report=report, user=personas.staff, file=pdf_upload())
    assert evidence.original_name == "หลักฐาน.pdf"
    assert evidence.content_type == "application/pdf"
    assert "หลักฐาน" not in evidence.file.name
    link = services.evidence_add(report=report, user=personas.staff, url="https://example.go.th/x")
    assert link.is_link
    services.evidence_delete(evidence=link, user=personas.staff)
    assert report.evidence.count() == 1


def test_it_refuses_more_evidence_than_a_report_may_hold(personas, world):
    report = make_report(world.activity, world.round)
    for number in range(30):
        services.evidence_add(
            report=report, user=personas.staff, url=f"https://example.go.th/{number}"
        )
    with pytest.raises(ValidationError) as error:
        services.evidence_add(report=report, user=personas.staff, url="https://example.go.th/x")
    assert error.value.code == "evidence_limit"
    assert report.evidence.count() == 30

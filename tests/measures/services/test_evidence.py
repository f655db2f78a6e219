"""Evidence files and links of a report, and evidence reused from an earlier round."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ita_portal import generations
from measures import services
from measures.models import Evidence, ProgressReport
from tests.measures.builders import make_report, make_round, pdf_upload

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


@pytest.fixture
def earlier(personas, world, settings, tmp_path):
    """Round 1's report of activity 1.1 with a file, and round 2's report to reuse it in."""
    settings.MEDIA_ROOT = tmp_path
    first = make_report(world.activity, world.round)
    evidence = services.evidence_add(
        report=first, user=personas.staff, file=pdf_upload(), effective_on=dt.date(2021, 3, 31)
    )
    ProgressReport.objects.filter(pk=first.pk).update(state="approved")
    second = make_report(world.activity, make_round(world.plan, 2))
    return evidence, second


def test_it_reuses_an_earlier_rounds_evidence_without_a_copy(personas, earlier, tmp_path):
    evidence, report = earlier
    reused = services.evidence_reuse(report=report, source=evidence, user=personas.staff)
    assert reused.report == report and reused.reused_from == evidence
    assert reused.file.name == evidence.file.name
    assert (reused.original_name, reused.effective_on) == ("หลักฐาน.pdf", dt.date(2021, 3, 31))
    assert len(list((tmp_path / "evidence").rglob("*.pdf"))) == 1


def test_it_refuses_to_reuse_evidence_twice(personas, earlier):
    evidence, report = earlier
    services.evidence_reuse(report=report, source=evidence, user=personas.staff)
    with pytest.raises(ValidationError) as error:
        services.evidence_reuse(report=report, source=evidence, user=personas.staff)
    assert error.value.code == "evidence_attached"


def test_it_reuses_evidence_of_an_earlier_round_of_the_same_activity_only(personas, world, earlier):
    evidence, report = earlier
    later = services.evidence_add(report=report, user=personas.staff, url="https://example.go.th/a")
    other = make_report(world.other_activity, report.round)
    for target, source in ((evidence.report, later), (other, evidence)):
        with pytest.raises(ValidationError) as error:
            services.evidence_reuse(report=target, source=source, user=personas.staff)
        assert error.value.code in {"evidence_not_earlier", "report_state"}


def test_removing_a_reused_evidence_keeps_the_file_the_other_uses(
    personas, earlier, django_capture_on_commit_callbacks
):
    evidence, report = earlier
    reused = services.evidence_reuse(report=report, source=evidence, user=personas.staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.evidence_delete(evidence=reused, user=personas.staff)
    # Nothing queued to delete the file (only the cached pages' new data generation).
    assert [c for c in callbacks if getattr(c, "func", None) is not generations._replace] == []
    assert evidence.file.storage.exists(evidence.file.name)
    assert Evidence.objects.get() == evidence

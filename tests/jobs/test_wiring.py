"""The long work of imports and reports as jobs, as production runs them (a worker, not at once)."""

import io
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import translation

from assessments.models import IndicatorScore
from imports.background import import_preview, staging_path
from imports.pending import pending_create
from jobs.models import Job
from jobs.services import _Progress, enqueue, job_run
from reports import document_views, views
from tests.assessments.builders import load_version_2563
from tests.base import BaseTestCase, Personas
from tests.imports.builders import score_workbook
from tests.imports.test_views import upload_file
from tests.media import PROCESS_MEDIA_ROOT
from tests.reports.builders import DemoTestCase

QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def the_job(response) -> Job:
    """Return the job a response sent the user to follow."""
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    return Job.objects.get(pk=response["Location"].split("/")[2])


@override_settings(TASKS=QUEUE_ONLY, MEDIA_ROOT=PROCESS_MEDIA_ROOT)
class ImportJobTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_version_2563()

    def setUp(self) -> None:
        self.client.force_login(self.admin)
        self.client.cookies["django_language"] = "en"

    def test_the_preview_and_the_commit_run_in_the_background(self):
        data = score_workbook(indicator_scores=[[2563, "oie", 1, 90.08], [2563, "oie", 2, 84.02]])
        upload = self.client.post(reverse("imports:upload"), {"file": upload_file(data)})
        job = the_job(upload)
        assert job.status == Job.Status.QUEUED and staging_path(job.arguments["staged"]).is_file()
        assert job_run(job_id=job.pk) == Job.Status.DONE
        job.refresh_from_db()
        assert job.result_url.startswith("/imports/preview/")
        assert not staging_path(job.arguments["staged"]).exists()
        page = self.client.get(f"/jobs/{job.pk}/").content.decode()
        assert f'href="{job.result_url}"' in page
        sha256 = job.result_url.split("/")[-2]
        commit = the_job(self.client.post(reverse("imports:confirm", args=[sha256])))
        assert IndicatorScore.objects.count() == 0
        job_run(job_id=commit.pk)
        commit.refresh_from_db()
        assert commit.status == Job.Status.DONE and IndicatorScore.objects.count() == 2
        assert commit.message == "Imported 2 new and 0 changed rows."
        assert commit.result_url.startswith("/imports/batches/")

    def test_a_refused_upload_leaves_no_staged_copy(self):
        data = score_workbook(indicator_scores=[[2563, "nobody", 1, 90.08]])
        job = the_job(self.client.post(reverse("imports:upload"), {"file": upload_file(data)}))
        with mock.patch("imports.background.pending_create", side_effect=RuntimeError("boom")):
            assert job_run(job_id=job.pk) == Job.Status.FAILED
        assert not staging_path(job.arguments["staged"]).exists()

    def test_a_second_commit_of_the_same_upload_fails_saying_why(self):
        data = score_workbook(indicator_scores=[[2563, "oie", 1, 90.08]])
        preview = the_job(self.client.post(reverse("imports:upload"), {"file": upload_file(data)}))
        job_run(job_id=preview.pk)
        sha256 = Job.objects.get(pk=preview.pk).result_url.split("/")[-2]
        first = the_job(self.client.post(reverse("imports:confirm", args=[sha256])))
        second = the_job(self.client.post(reverse("imports:confirm", args=[sha256])))
        job_run(job_id=first.pk)
        assert job_run(job_id=second.pk) == Job.Status.FAILED
        assert "stored once" in Job.objects.get(pk=second.pk).message
        assert IndicatorScore.objects.count() == 1

    def test_the_preview_tells_how_many_rows_it_has_checked(self):
        rows = [[2563, "oie", number, 80 + number] for number in range(1, 6)]
        data = score_workbook(indicator_scores=rows)
        job = the_job(self.client.post(reverse("imports:upload"), {"file": upload_file(data)}))
        told = []
        with mock.patch("imports.pending.PROGRESS_ROWS", 2), translation.override("en"):
            outcome = import_preview(job, lambda percent, message="": told.append(message))
        assert told == [
            "Checking every row of the workbook",
            "Checking every row of the workbook: 2 rows checked",
            "Checking every row of the workbook: 4 rows checked",
        ]
        assert outcome.url.startswith("/imports/preview/")


def fake_pdf(template_name, context, *, request=None):
    return b"%PDF-1.7 from the worker"


@override_settings(TASKS=QUEUE_ONLY)
@mock.patch.object(views, "render_pdf", side_effect=fake_pdf)
class ReportJobTests(DemoTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.client.force_login(self.p.manager)

    def test_an_uncached_pdf_is_rendered_by_the_worker_then_served_from_the_cache(self, render):
        for url in (
            "/reports/oie/2563/summary.pdf?digits=thai",
            "/reports/oie/2564/progress/1.pdf",
        ):
            job = the_job(self.client.get(url))
            render.assert_not_called()
            assert job_run(job_id=job.pk) == Job.Status.DONE
            assert Job.objects.get(pk=job.pk).result_url == url
            response = self.client.get(url)
            assert response["Content-Type"] == "application/pdf"
            assert response.content == b"%PDF-1.7 from the worker"
            assert render.call_count == 1
            render.reset_mock()

    def test_the_plan_documents_are_rendered_by_the_worker_in_pdf_and_word(self, render):
        downloads = {
            "/reports/oie/2564/measures.pdf": "application/pdf",
            "/reports/oie/2564/measures.docx": document_views.TYPES["docx"],
            "/reports/oie/2564/measures/twelve-month.docx": document_views.TYPES["docx"],
        }
        with mock.patch.object(
            document_views, "render_document", side_effect=lambda *a: f"{a[1]}.{a[2]}".encode()
        ) as document:
            for url, content_type in downloads.items():
                job = the_job(self.client.get(url))
                assert job.kind == "document" and job.agency_id == self.p.manager.agency_id
                document.assert_not_called()
                assert job_run(job_id=job.pk) == Job.Status.DONE
                assert Job.objects.get(pk=job.pk).result_url == url
                response = self.client.get(url)
                assert response["Content-Type"] == content_type
                kind, fmt = url.rsplit("/", 1)[1].split(".")
                assert response.content == f"{kind}.{fmt}".encode()
                assert document.call_count == 1
                document.reset_mock()

    def test_the_worker_stores_the_render_under_the_stamp_the_download_worked_out(self, render):
        downloads = (
            (views, "summary_stamp", "/reports/oie/2563/summary.pdf", b"%PDF-1.7 from the worker"),
            (views, "progress_stamp", "/reports/oie/2564/progress/1.pdf", fake_pdf("", {})),
            (document_views, "document_stamp", "/reports/oie/2564/measures.pdf", b"document"),
        )
        with mock.patch.object(document_views, "render_document", return_value=b"document"):
            for module, name, url, content in downloads:
                with mock.patch.object(module, name, wraps=getattr(module, name)) as stamp:
                    job = the_job(self.client.get(url))
                    assert stamp.call_count == 1
                    assert job_run(job_id=job.pk) == Job.Status.DONE
                    assert stamp.call_count == 1  # the worker did not work it out again
                    response = self.client.get(url)
                    assert stamp.call_count == 2 and response.content == content


@override_settings(TASKS=QUEUE_ONLY, MEDIA_ROOT=PROCESS_MEDIA_ROOT)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one writer in at a time: no side writer"
)
class CommitProgressTests(TransactionTestCase):
    """The import's one transaction, watched from another connection as the job's page is."""

    def test_the_job_tells_the_rows_stored_while_the_transaction_is_open(self):
        personas = Personas()
        load_version_2563()
        rows = [[2563, "oie", number, 80 + number] for number in range(1, 11)]
        data = io.BytesIO(score_workbook(indicator_scores=rows))
        pending = pending_create(file=data, file_name="scores.xlsx", user=personas.admin)
        with translation.override("en"):
            job = enqueue(
                "import_commit",
                owner=personas.admin,
                title="Store",
                arguments={"sha256": pending.sha256},
            )
        watcher = connections.create_connection(DEFAULT_DB_ALIAS)
        seen = []
        report = _Progress.__call__

        def watched(self, percent, message=""):
            report(self, percent, message)
            with watcher.cursor() as cursor:
                cursor.execute("SELECT progress, message FROM jobs_job WHERE id = %s", [job.pk])
                shown = cursor.fetchone()
                cursor.execute("SELECT COUNT(*) FROM assessments_indicatorscore")
                seen.append((*shown, cursor.fetchone()[0]))

        try:
            with (
                mock.patch.object(_Progress, "__call__", watched),
                mock.patch("imports.writer.CHUNK", 3),
            ):
                assert job_run(job_id=job.pk) == Job.Status.DONE
        finally:
            watcher.close()
        # The assessment, then the scores three a statement; none of them visible until the end.
        stored = [(p, m) for p, m, _ in seen if m.startswith("Storing the checked rows: ")]
        assert [m.rsplit(": ", 1)[1] for _, m in stored] == [
            "1 of 11", "4 of 11", "7 of 11", "10 of 11", "11 of 11"
        ]  # fmt: skip
        assert [p for p, _ in stored] == [13, 37, 62, 86, 95]
        assert {count for *_, count in seen} == {0}
        assert IndicatorScore.objects.count() == 10

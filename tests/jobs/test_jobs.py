"""Background jobs: the lifecycle (queued, running with progress, done, failed, retried), pages."""

import datetime as dt
import io
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import default_task_backend

from jobs import services
from jobs.models import Job
from jobs.services import JobFailed, Outcome, enqueue, handler, job_retry, job_run
from tests.base import BaseTestCase
from tests.media import TemporaryMediaRoot

QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
seen: dict = {}


@handler("test_count")
def count_rows(job: Job, progress) -> Outcome:
    """Count to arguments["to"], reporting progress; fail when told to."""
    for step in range(1, 5):
        progress(step * 25 - 5, f"step {step}")
        seen.setdefault("running", []).append(
            Job.objects.values_list("status", "progress", "message").get(pk=job.pk)
        )
    if job.arguments.get("fail") and job.attempts == 0:
        raise JobFailed("the file has gone")
    if job.arguments.get("crash"):
        raise KeyError("internal")
    return Outcome(url="/imports/", file_name="count.txt", content=b"4 rows", message="4 rows")


class LifecycleTests(TemporaryMediaRoot, BaseTestCase):
    def setUp(self):
        seen.clear()

    @override_settings(TASKS=QUEUE_ONLY)
    def test_it_queues_a_job_for_the_worker(self):
        # A broker's backend (here the dummy one) gets the job once the transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            job = enqueue("test_count", owner=self.p.admin, title="Count")
            assert default_task_backend.results == []
        assert job.status == Job.Status.QUEUED and job.progress == 0
        assert job.agency == self.p.admin.agency and job.arguments["language"]
        (result,) = default_task_backend.results
        assert result.args == [job.pk]
        assert job_run(job_id=job.pk) == Job.Status.DONE
        # A second worker picking the same task does nothing.
        assert job_run(job_id=job.pk) == Job.Status.DONE
        assert seen["running"][0] == ("running", 20, "step 1")

    def test_it_records_progress_then_the_result(self):
        job = enqueue("test_count", owner=self.p.admin, title="Count")
        assert [row[:2] for row in seen["running"]] == [
            ("running", 20),
            ("running", 45),
            ("running", 70),
            ("running", 95),
        ]
        assert job.status == Job.Status.DONE and job.progress == 100
        assert job.message == "4 rows" and job.result_url == "/imports/"
        assert job.result_file.read() == b"4 rows"
        assert job.started_at <= job.finished_at

    def test_a_failed_job_says_why_and_can_be_retried(self):
        job = enqueue("test_count", owner=self.p.admin, title="Count", arguments={"fail": True})
        assert job.status == Job.Status.FAILED
        assert job.message == "the file has gone" and job.finished_at is not None
        again = job_retry(job=job)
        assert again.status == Job.Status.DONE and again.attempts == 1 and again.message == "4 rows"

    def test_an_unexpected_error_fails_the_job_naming_it(self):
        with self.assertLogs("jobs.services", "ERROR"):
            job = enqueue("test_count", owner=self.p.admin, title="C", arguments={"crash": True})
        assert job.status == Job.Status.FAILED and "KeyError" in job.message

    @override_settings(TASKS=QUEUE_ONLY)
    def test_only_a_failed_job_is_retried(self):
        job = enqueue("test_count", owner=self.p.admin, title="Count")
        with self.assertRaises(ValidationError):
            job_retry(job=job)
        assert Job.objects.get(pk=job.pk).attempts == 0

    def test_an_unknown_kind_is_refused(self):
        with self.assertRaises(ValueError):
            enqueue("no_such_kind", owner=self.p.admin, title="x")
        assert not Job.objects.exists()

    def test_a_kind_is_registered_once(self):
        with self.assertRaises(ValueError):
            services.handler("test_count")(lambda job, progress: Outcome())


class PageTests(TemporaryMediaRoot, BaseTestCase):
    def setUp(self):
        self.client.force_login(self.p.admin)

    def _queued(self, owner=None) -> Job:
        with override_settings(TASKS=QUEUE_ONLY):
            return enqueue("test_count", owner=owner or self.p.admin, title="Counting rows")

    def test_a_running_job_refreshes_itself_and_offers_polling(self):
        job = self._queued()
        page = self.client.get(f"/jobs/{job.pk}/").content.decode()
        assert '<meta http-equiv="refresh" content="2">' in page
        assert f'data-status-url="/jobs/{job.pk}/status.json"' in page and "js/jobs.js" in page
        state = json.loads(self.client.get(f"/jobs/{job.pk}/status.json").content)
        assert state["status"] == "queued" and state["active"] and state["progress"] == 0

    def test_a_finished_job_stops_refreshing_and_links_its_result(self):
        job = self._queued()
        job_run(job_id=job.pk)
        page = self.client.get(f"/jobs/{job.pk}/").content.decode()
        assert "http-equiv" not in page and "js/jobs.js" not in page
        assert 'href="/imports/"' in page and f"/jobs/{job.pk}/download/" in page
        download = self.client.get(f"/jobs/{job.pk}/download/")
        assert b"".join(download.streaming_content) == b"4 rows"

    def test_the_user_comes_back_to_their_jobs(self):
        mine, theirs = self._queued(), self._queued(self.p.manager)
        # Session, user, count of jobs, a page of jobs; the navigation's role groups, unread
        # notifications, open rounds (the inbox count) and agency.
        with self.assertNumQueries(8):
            page = self.client.get("/jobs/").content.decode()
        for _ in range(25):
            self._queued()
        with self.assertNumQueries(8):
            self.client.get("/jobs/?page=2")
        assert f"/jobs/{mine.pk}/" in page and f"/jobs/{theirs.pk}/" not in page

    def test_a_failed_job_is_retried_by_post(self):
        job = self._queued()
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, message="it broke")
        assert "it broke" in self.client.get(f"/jobs/{job.pk}/").content.decode()
        assert self.client.get(f"/jobs/{job.pk}/retry/").status_code == 405
        response = self.client.post(f"/jobs/{job.pk}/retry/")
        assert response.status_code == 302
        job.refresh_from_db()
        assert job.status == Job.Status.DONE and job.attempts == 1

    def test_another_users_or_agencys_job_is_not_found(self):
        for owner in (self.p.manager, self.p.outsider_admin):
            job = self._queued(owner)
            Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED)
            for url in ("", "status.json", "download/"):
                assert self.client.get(f"/jobs/{job.pk}/{url}").status_code == 404, url
            assert self.client.post(f"/jobs/{job.pk}/retry/").status_code == 404
            assert Job.objects.get(pk=job.pk).attempts == 0

    def test_it_requires_login(self):
        job = self._queued()
        self.client.logout()
        for url in ("/jobs/", f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status.json"):
            assert self.client.get(url)["Location"].startswith("/accounts/login/"), url


class PurgeTests(TemporaryMediaRoot, BaseTestCase):
    def test_it_deletes_old_finished_jobs_and_their_files_only(self):
        old = enqueue("test_count", owner=self.p.admin, title="Old")
        path = Path(old.result_file.path)
        with override_settings(TASKS=QUEUE_ONLY):
            waiting = enqueue("test_count", owner=self.p.admin, title="Waiting")
        recent = enqueue("test_count", owner=self.p.admin, title="Recent")
        month_ago = timezone.now() - dt.timedelta(days=31)
        Job.objects.filter(pk__in=[old.pk, waiting.pk]).update(created_at=month_ago)
        out = io.StringIO()
        call_command("purge_jobs", stdout=out)
        assert set(Job.objects.values_list("pk", flat=True)) == {waiting.pk, recent.pk}
        assert not path.exists() and "Deleted 1 " in out.getvalue()

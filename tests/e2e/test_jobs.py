"""Browser journey: a download the cache lacks is rendered in the background, as production runs.

The tasks go to a queue no one serves (the test plays the worker with `job_run`): the manager's
click lands on the job's page, which follows the job with its bar, may be left and found again
in "your background jobs", and offers the file once the worker is done; a failed job says why
and is tried again with its button.
"""

import re
from unittest import mock

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from jobs.models import Job
from jobs.services import job_run
from reports import document_views
from tests.demo import load_demo
from tests.e2e.conftest import login, screenshots

QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def by_id(page, testid: str):
    return page.get_by_test_id(testid).first


@pytest.mark.django_db(transaction=True)
def test_a_manager_follows_a_word_download_to_its_file_and_retries_a_failed_one(page):
    load_demo()
    login(page, "manager", DEMO_PASSWORD)
    with override_settings(TASKS=QUEUE_ONLY):
        page.goto("/reports/oie/2564/measures/")
        page.click("[data-testid=download-measures-docx]")
        expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
        expect(by_id(page, "job-status")).to_have_text("รอคิว")
        expect(page.locator("h1")).to_contain_text("เอกสารมาตรการ (Word)")
        expect(by_id(page, "job-leave")).to_be_visible()
        screenshots(page, "job-queued")
        job = Job.objects.get()

        # The user leaves; the list of their jobs keeps it.
        page.goto("/jobs/")
        expect(page.get_by_text("เอกสารมาตรการ (Word)")).to_be_visible()
        page.get_by_text("เอกสารมาตรการ (Word)").click()

        # The worker renders it; the open page (polling with JavaScript) shows it done.
        assert job_run(job_id=job.pk) == Job.Status.DONE
        expect(by_id(page, "job-status")).to_have_text("เสร็จแล้ว")
        screenshots(page, "job-done")
        with page.expect_download() as download:
            by_id(page, "job-result").click()
        assert download.value.suggested_filename == "ita-measures-oie-2564.docx"

        # A render that breaks: the page says why and the owner tries again.
        page.goto("/reports/oie/2564/measures/")
        page.click("[data-testid=download-measures-pdf]")
        expect(by_id(page, "job-status")).to_have_text("รอคิว")
        failing = Job.objects.exclude(pk=job.pk).get()
        with mock.patch.object(document_views, "render_document", side_effect=OSError("disk")):
            assert job_run(job_id=failing.pk) == Job.Status.FAILED
        expect(by_id(page, "job-status")).to_have_text("ไม่สำเร็จ")
        expect(by_id(page, "job-message")).to_contain_text("ข้อผิดพลาด (OSError)")
        screenshots(page, "job-failed")
        by_id(page, "job-retry").click()
        expect(by_id(page, "job-status")).to_have_text("รอคิว")
        assert job_run(job_id=failing.pk) == Job.Status.DONE
        expect(by_id(page, "job-status")).to_have_text("เสร็จแล้ว")
        failing.refresh_from_db()
        assert failing.attempts == 1

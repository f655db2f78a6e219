import io
import threading
import time
from unittest import mock, skipUnless

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, TransactionTestCase
from django.utils import translation

from accounts.models import User
from assessments.models import Assessment, IndicatorScore, InstrumentVersion, QuestionScore
from measures.models import Evidence, ProgressReport, Step
from reports import exports, views
from reports.cache import cached_render, progress_stamp, report_key, summary_stamp
from tests.base import Personas
from tests.reports.builders import DemoTestCase, add_later_year


class StampTests(DemoTestCase):
    def test_it_costs_one_query(self):
        with self.assertNumQueries(1):
            summary_stamp(self.assessment)
        with self.assertNumQueries(1):
            progress_stamp(self.plan)

    def test_the_summary_stamp_follows_scores_history_and_the_plan(self):
        changes = [
            lambda: QuestionScore.objects.filter(assessment=self.assessment).first().save(),
            lambda: Assessment.objects.get(agency__code="oie", fiscal_year=2560).save(),
            lambda: self.plan.save(),
            lambda: Step.objects.filter(activity__measure__plan=self.plan).first().delete(),
            lambda: Evidence.objects.create(
                report=ProgressReport.objects.filter(round=self.round).first(),
                url="https://example.com/x",
            ),
        ]
        for change in changes:
            before = summary_stamp(self.assessment)
            change()
            assert summary_stamp(self.assessment) > before

    def test_the_summary_stamp_ignores_other_agencies_other_years(self):
        before = summary_stamp(self.assessment)
        peer = Assessment.objects.get(agency__code="diw", fiscal_year=2563)
        Assessment.objects.create(
            agency=peer.agency, fiscal_year=2562, version=InstrumentVersion.objects.get(
                fiscal_year=2562
            ), reported_total="90.00",
        )  # fmt: skip
        assert summary_stamp(self.assessment) == before
        peer.save()  # the same year: the ranks may change
        assert summary_stamp(self.assessment) > before

    def test_the_progress_stamp_follows_the_reports_only(self):
        before = progress_stamp(self.plan)
        self.assessment.save()
        assert progress_stamp(self.plan) == before
        report = ProgressReport.objects.filter(round=self.round).first()
        report.percent = 55
        report.save()
        assert progress_stamp(self.plan) > before


@pytest.mark.django_db
def test_cached_render_keys_on_parts_stamp_and_language():
    cache.clear()
    calls = []

    def render():
        calls.append(1)
        return b"pdf"

    assert cached_render(("x", 1), "s1", render) == b"pdf"
    cached_render(("x", 1), "s1", render)
    assert len(calls) == 1
    cached_render(("x", 1), "s2", render)
    cached_render(("x", 2), "s2", render)
    with translation.override("en"):
        cached_render(("x", 2), "s2", render)
    assert len(calls) == 4


class LaterYearStampTests(DemoTestCase):
    def test_a_later_year_leaves_the_summary_stamp_alone(self):
        before = summary_stamp(self.assessment)
        later = add_later_year()
        QuestionScore.objects.create(
            assessment=later, question=later.version.questions.get(code="I14"), score="70.00"
        )
        assert summary_stamp(self.assessment) == before
        earlier = Assessment.objects.get(agency__code="oie", fiscal_year=2562)
        earlier.save()
        assert summary_stamp(self.assessment) > before


@pytest.mark.django_db
def test_cached_render_keys_on_parts_stamp_and_language_in_the_shared_cache():
    # The default cache is the shared one (a database table): what one worker stored, any reads.
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    cache.clear()
    cached_render(("y", 1), "s1", lambda: b"stored")
    assert cache.get(report_key(("y", 1), "s1")) == b"stored"


def fake_pdf(template_name, context, *, request=None):
    """A PDF naming the figures it shows, so a changed figure gives different bytes."""
    if "s" in context:
        summary = context["s"]
        return f"summary {summary['fiscal_year']} {summary['lowest']} {context['d']}".encode()
    return f"progress {context['r']['generated_on']} {context['d']}".encode()


@mock.patch.object(exports, "progress_workbook", wraps=exports.progress_workbook)
@mock.patch.object(exports, "summary_workbook", wraps=exports.summary_workbook)
@mock.patch.object(views, "render_pdf", side_effect=fake_pdf)
class InvalidationTests(DemoTestCase):
    SUMMARY_2563 = [
        "/reports/oie/2563/summary.pdf",
        "/reports/oie/2563/summary.pdf?digits=thai",
        "/reports/oie/2563/summary.xlsx",
    ]
    OTHERS = [
        "/reports/oie/2562/summary.pdf",
        "/reports/oie/2562/summary.xlsx",
        "/reports/oie/2564/progress/1.pdf",
        "/reports/oie/2564/progress/1.xlsx",
    ]

    def setUp(self):
        cache.clear()
        self.client.force_login(self.p.manager)

    def _downloads(self) -> dict[str, bytes]:
        return {url: self.client.get(url).content for url in self.SUMMARY_2563 + self.OTHERS}

    def test_a_changed_score_changes_every_report_showing_it_and_nothing_else(
        self, render, summary_xlsx, progress_xlsx
    ):
        before = self._downloads()
        assert (render.call_count, summary_xlsx.call_count, progress_xlsx.call_count) == (4, 2, 1)
        score = IndicatorScore.objects.get(assessment=self.assessment, indicator__number=4)
        score.score = "81.00"
        score.save()
        after = self._downloads()
        # Only the 2563 summary's PDF (both digit styles) and workbook were made again...
        assert (render.call_count, summary_xlsx.call_count, progress_xlsx.call_count) == (6, 3, 1)
        for url in self.SUMMARY_2563:
            assert after[url] != before[url], url
        assert b"80.81" in after["/reports/oie/2563/summary.pdf"]  # indicator 3 is now lowest
        # ...the 2562 summary and the plan's progress report came from the cache, unchanged.
        for url in self.OTHERS:
            assert after[url] == before[url], url


@skipUnless(connection.vendor == "postgresql", "SQLite's shared in-memory test database locks")
class ConcurrentDownloadTests(TransactionTestCase):
    """Five managers asking at once for a PDF nobody has yet: one render serves them all.

    Each request writes its job; the threads of an in-memory SQLite test database lock each
    other's tables at once (no busy timeout), so this runs on PostgreSQL, as CI does too.
    tests/ita_portal/test_cache.py shows the single-flight itself on both databases.
    """

    def setUp(self):
        self.p = Personas()
        call_command("load_demo", "--force", stdout=io.StringIO())
        cache.clear()

    def test_concurrent_requests_for_one_pdf_render_it_once(self):
        renders = []

        def slow_pdf(template_name, context, *, request=None):
            renders.append(template_name)
            time.sleep(0.5)
            return b"%PDF-1.7 one render"

        self.client.force_login(User.objects.get(username="manager"))
        session = self.client.cookies["sessionid"].value
        responses = []

        def download():
            client = Client()
            client.cookies["sessionid"] = session
            try:
                responses.append(client.get("/reports/oie/2563/summary.pdf"))
            finally:
                connection.close()

        with mock.patch.object(views, "render_pdf", side_effect=slow_pdf):
            threads = [threading.Thread(target=download) for _ in range(5)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert [r.status_code for r in responses] == [200] * 5
        assert {r.content for r in responses} == {b"%PDF-1.7 one render"}
        assert renders == ["reports/pdf/summary.html"]

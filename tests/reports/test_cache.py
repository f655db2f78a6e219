from django.core.cache import cache
from django.utils import translation

from assessments.models import Assessment, InstrumentVersion, QuestionScore
from measures.models import Evidence, ProgressReport, Step
from reports.cache import cached_render, progress_stamp, summary_stamp
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

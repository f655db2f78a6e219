"""Closing a round: scores by the version's aggregation, per unit and for the organisation,
never for a unit under the minimum; stored as the agency's self-assessment beside the official."""

from django.test import override_settings

from assessments.models import Assessment, QuestionScore
from assessments.scoring import round2
from assessments.selectors import assessment_report
from surveys import services
from surveys.models import RoundScore, SurveyUnit
from surveys.selectors import round_results, round_status
from tests.surveys.builders import hand_scores, open_round
from tests.surveys.helpers import SurveyTestCase, answer_through_pages


def answer_sets(count: int, shift: int = 0) -> list[dict[str, str]]:
    """Varied but known answers: respondent n picks option (n + k) of each item, in turn."""
    sets = []
    for n in range(count):
        sets.append(
            {
                "I1": str((n + shift) % 4 + 1),
                "I2": str((n + shift + 1) % 4 + 1),
                "I3": str((n + shift) % 2 + 1),
                "I4.1": str((n + shift + 2) % 4 + 1),
                "I4.2": str((n * 3 + shift) % 4 + 1),
            }
        )
    return sets


class ResultsTests(SurveyTestCase):
    def run_round(self, big: int, small: int):
        survey = open_round(self.agency, [(self.unit, 40), (self.other_unit, 12)])
        entries = {e.unit_id: e for e in SurveyUnit.objects.filter(round=survey)}
        first, second = answer_sets(big), answer_sets(small, shift=1)
        for answers in first:
            answer_through_pages(entries[self.unit.pk], answers)
        for answers in second:
            answer_through_pages(entries[self.other_unit.pk], answers)
        return services.round_close(survey=survey), entries, first, second

    def test_unit_and_organisation_scores_equal_those_computed_by_hand(self):
        survey, entries, first, second = self.run_round(9, 6)
        scores = {
            (s.survey_unit_id, s.level, s.key): s.score
            for s in RoundScore.objects.filter(round=survey)
        }
        for unit_pk, sets in ((self.unit.pk, first), (self.other_unit.pk, second)):
            expected = hand_scores(sets)
            entry = entries[unit_pk].pk
            self.assertEqual(scores[(entry, "instrument", "IIT")], expected["IIT"])
            self.assertEqual(scores[(entry, "indicator", "2")], expected["2"])
            self.assertEqual(scores[(entry, "question", "I4")], expected["I4"])
        whole = hand_scores(first + second)
        self.assertEqual(scores[(None, "instrument", "IIT")], whole["IIT"])
        self.assertEqual(scores[(None, "question", "I2")], whole["I2"])

    def test_the_organisations_scores_become_its_self_assessment_apart_from_the_official(self):
        survey, _entries, first, second = self.run_round(6, 5)
        whole = hand_scores(first + second)
        self_assessment = Assessment.objects.get(
            agency=self.agency, fiscal_year=survey.fiscal_year, kind=Assessment.Kind.SELF
        )
        self.assertEqual(
            QuestionScore.objects.get(assessment=self_assessment, question__code="I4").score,
            whole["I4"],
        )
        self.assertEqual(
            (self_assessment.iit_respondents, self_assessment.iit_population), (11, 52)
        )
        # Computed on read by the version's rules, as an official result is: the same figures.
        report = assessment_report(self_assessment)
        self.assertEqual(round2(report.result.instruments["IIT"].value), whole["IIT"])
        self.assertEqual(round2(report.result.indicators[2].value), whole["2"])
        self.assertFalse(
            Assessment.objects.filter(agency=self.agency, kind=Assessment.Kind.OFFICIAL).exists()
        )

    def test_a_unit_under_the_threshold_shows_no_results(self):
        survey, entries, first, _second = self.run_round(7, 4)
        small = entries[self.other_unit.pk]
        self.assertFalse(RoundScore.objects.filter(survey_unit=small).exists())
        results = round_results(survey)
        self.assertEqual([s.label for s in results.units], [str(self.unit)])
        self.assertEqual(results.hidden, [self.other_unit])
        self.client.force_login(self.manager)
        page = self.client.get(f"/surveys/{survey.pk}/")
        self.assertContains(page, "ไม่แสดงผล")
        self.assertContains(page, 'data-testid="result-hidden"', count=1)
        self.assertContains(page, 'data-testid="result-unit"', count=1)
        exported = self.client.get(f"/surveys/{survey.pk}/answers.csv").content.decode("utf-8-sig")
        self.assertEqual(len(exported.strip().splitlines()), 1 + 7)  # the big unit's rows only
        self.assertNotIn(self.other_unit.code, exported)

    @override_settings(SURVEY_MIN_RESPONDENTS=20)
    def test_an_organisation_under_the_threshold_gets_no_self_assessment(self):
        survey, *_ = self.run_round(6, 5)
        self.assertFalse(RoundScore.objects.filter(round=survey).exists())
        self.assertFalse(Assessment.objects.filter(kind=Assessment.Kind.SELF).exists())


class StatusTests(SurveyTestCase):
    def test_it_counts_against_the_version_sample_rule(self):
        survey = open_round(self.agency, [(self.unit, 20), (self.other_unit, 400)])
        entry = SurveyUnit.objects.get(round=survey, unit=self.unit)
        for answers in answer_sets(3):
            answer_through_pages(entry, answers)
        status = round_status(survey, survey.opens_on)
        rows = {r.unit.code: r for r in status.rows}
        self.assertEqual((rows["กพบ."].responses, rows["กพบ."].minimum), (3, 20))  # under 30: all
        self.assertEqual(rows["ตสน."].minimum, 40)  # 10 % of 400
        self.assertEqual(status.minimum, 42)  # 10 % of 420
        self.assertEqual(status.days_left, 7)

    def test_the_status_page_costs_the_same_with_2_or_50_responses(self):
        survey = open_round(self.agency, [(self.unit, 60)])
        entry = SurveyUnit.objects.get(round=survey)
        self.client.force_login(self.manager)
        counts = []
        for total in (2, 50):
            for answers in answer_sets(total - entry.answer_sets.count()):
                answer_through_pages(entry, answers)
            # 1 session, 2 user, 3 role groups, 4 the round (with its agency, instrument and
            # version), 5 its units with their counters (never the responses); the navigation:
            # 6 unread notifications, 7 the inbox's open rounds, 8 the user's agency.
            with self.assertNumQueries(8):
                page = self.client.get(f"/surveys/{survey.pk}/status/")
            self.assertContains(page, f'data-testid="responses-กพบ.">{total}<')
            counts.append(total)
        self.assertEqual(counts, [2, 50])

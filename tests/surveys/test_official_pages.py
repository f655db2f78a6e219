"""A self-assessment beside the official result, and its weak questions seeding a plan."""

from decimal import Decimal

from django.core.cache import caches

from assessments.models import Assessment
from assessments.services import assessment_scores_set, assessment_upsert
from measures.models import Plan
from surveys import services
from surveys.models import SurveyUnit
from tests.base import BaseTestCase
from tests.surveys.builders import YEAR, open_round, survey_version
from tests.surveys.helpers import answer_through_pages

FULL = {"I1": "4", "I2": "1", "I3": "1", "I4.1": "3", "I4.2": "2"}  # IIT 91.75, I4 67.00


class BesideOfficialTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        version = survey_version()
        official = assessment_upsert(
            agency=cls.agency, fiscal_year=YEAR, values={}, framework=version.framework
        )
        assessment_scores_set(assessment=official, instruments={"IIT": Decimal("80.00")})

    def setUp(self) -> None:
        caches["throttle"].clear()

    def close_a_round(self) -> None:
        survey = open_round(self.agency, [(self.unit, 20)])
        entry = SurveyUnit.objects.get(round=survey)
        for _ in range(5):
            answer_through_pages(entry, FULL)
        services.round_close(survey=survey)

    def test_the_assessment_page_shows_the_self_assessment_beside_the_official(self):
        self.client.force_login(self.manager)
        page = self.client.get(f"/assessments/{self.agency.code}/{YEAR}/")
        self.assertNotContains(page, 'data-testid="self-beside-official"')
        self.close_a_round()
        page = self.client.get(f"/assessments/{self.agency.code}/{YEAR}/")
        self.assertContains(page, 'data-testid="self-beside-official"')
        row = page.content.decode().split('data-testid="self-IIT"')[1].split("</tr>")[0]
        self.assertIn("80.00", row)
        self.assertIn("91.75", row)
        self.assertIn("+11.75", row)
        # The official result stays the headline: the self-assessment changes none of it.
        self.assertEqual(Assessment.objects.official().get().instrument_scores.get().score, 80)

    def test_the_history_shows_the_own_surveys_by_year_apart(self):
        self.close_a_round()
        self.client.force_login(self.staff)
        page = self.client.get(f"/assessments/{self.agency.code}/")
        row = page.content.decode().split(f'data-testid="own-{YEAR}"')[1].split("</tr>")[0]
        self.assertIn("91.75", row)
        self.assertIn("(5)", row)

    def test_a_self_assessments_weak_questions_draft_a_plan(self):
        self.close_a_round()
        own = Assessment.objects.get(kind=Assessment.Kind.SELF)
        self.client.force_login(self.admin)
        index = self.client.get("/measures/?all")
        self.assertContains(index, f'<option value="{own.pk}">')
        self.client.post("/measures/draft-from-assessment/", {"assessment": own.pk})
        plan = Plan.objects.get(fiscal_year=YEAR + 1)
        self.assertEqual(plan.based_on, own)
        cited = set(plan.measures.values_list("questions__code", flat=True))
        self.assertEqual(cited, {"I4"})

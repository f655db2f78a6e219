from decimal import Decimal

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency
from assessments.models import (
    Assessment,
    IndicatorScore,
    InstrumentVersion,
    ItemAnswer,
    QuestionScore,
)
from assessments.services import assessment_upsert
from tests.assessments.builders import make_oie_2563
from tests.base import BaseTestCase, make_user
from tests.measures.builders import make_measure, make_plan
from tests.reports.builders import DemoTestCase, english_words, publish_a_different_total

D = Decimal


@override_settings(LANGUAGE_CODE="en")
class ViewTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.oie = make_oie_2563(cls.agency)
        cls.diw = assessment_upsert(
            agency=cls.other_agency, fiscal_year=2563, values={"reported_total": D("93.97")}
        )

    def url(self, name: str, *args) -> str:
        return reverse(f"assessments:{name}", args=args)


class ReadTests(ViewTestCase):
    def test_it_shows_the_result_to_every_role(self):
        for user in (self.staff, self.manager, self.admin):
            self.client.force_login(user)
            response = self.client.get(self.url("detail", "oie", 2563))
            self.assertContains(response, 'data-testid="total-all">91.50<')
            self.assertContains(response, 'data-testid="grade"')
            self.assertContains(response, 'data-testid="weak-I14"')
        # Only admins see the editing tabs.
        self.client.force_login(self.staff)
        self.assertNotContains(self.client.get(self.url("detail", "oie", 2563)), "tab-scores")

    def test_it_requires_login(self):
        response = self.client.get(self.url("detail", "oie", 2563))
        self.assertRedirects(response, f"/accounts/login/?next={self.url('detail', 'oie', 2563)}")
        for name, args in [("index", ()), ("history", ("oie",)), ("version_list", ())]:
            self.assertEqual(self.client.get(self.url(name, *args)).status_code, 302)

    def test_it_hides_other_agencies(self):
        self.client.force_login(self.outsider)
        for name, args in [
            ("detail", ("oie", 2563)),
            ("history", ("oie",)),
            ("peers", ("oie", 2563)),
        ]:
            self.assertEqual(self.client.get(self.url(name, *args)).status_code, 404)
        self.client.force_login(self.outsider_admin)
        self.assertEqual(self.client.get(self.url("scores", "oie", 2563)).status_code, 404)

    def test_it_answers_404_for_a_missing_year(self):
        self.client.force_login(self.manager)
        self.assertEqual(self.client.get(self.url("detail", "oie", 2562)).status_code, 404)

    def test_it_lists_only_the_users_agency(self):
        self.client.force_login(self.staff)
        response = self.client.get(self.url("index"))
        self.assertContains(response, "assessment-oie-2563")
        self.assertNotContains(response, "assessment-diw-2563")

    def test_it_shows_peer_totals_with_the_home_agency_highlighted(self):
        self.client.force_login(self.staff)
        response = self.client.get(self.url("peers", "oie", 2563))
        rows = list(response.context["page"])
        self.assertEqual([(r.agency.code, r.position, r.is_home) for r in rows], [
            ("diw", 1, False), ("oie", 2, True)
        ])  # fmt: skip
        self.assertContains(response, 'data-testid="peer-home"')
        self.assertContains(response, "93.97")

    def test_it_pages_a_large_ministry_opening_at_the_home_agency(self):
        Agency.objects.bulk_create(
            Agency(code=f"a{n:03d}", name_th=f"หน่วยงาน {n:03d}", ministry="กระทรวงอุตสาหกรรม")
            for n in range(120)
        )
        for agency in Agency.objects.filter(code__startswith="a"):
            total = Decimal("99.90") - Decimal(int(agency.code[1:])) / 100  # above DIW, OIE
            assessment_upsert(agency=agency, fiscal_year=2563, values={"reported_total": total})
        self.client.force_login(self.manager)
        response = self.client.get(self.url("peers", "oie", 2563))
        # 120 agencies above OIE and DIW: OIE is 122nd, on the third page of 50.
        self.assertEqual(response.context["page"].number, 3)
        self.assertContains(response, 'data-testid="peer-home"')
        self.assertContains(response, "101–122")
        self.assertContains(response, 'data-testid="peer-a', count=20)
        self.assertContains(response, 'data-testid="peer-diw"')
        first = self.client.get(self.url("peers", "oie", 2563), {"page": "1"})
        self.assertContains(first, 'data-testid="peer-a000"')
        self.assertNotContains(first, 'data-testid="peer-home"')
        self.assertContains(first, 'data-testid="peer-a', count=50)
        self.assertEqual(
            self.client.get(self.url("peers", "oie", 2563), {"page": "x"}).status_code, 200
        )

    def test_it_shows_the_history_and_the_indicator_change(self):
        self.client.force_login(self.manager)
        response = self.client.get(self.url("history", "oie"), {"from": "2563", "to": "2563"})
        self.assertContains(response, 'data-testid="history-chart"')
        self.assertContains(response, 'data-testid="history-2563"')
        self.assertEqual(response.context["changes"][3].change, D("0"))
        # A year without an assessment falls back to the defaults instead of failing.
        response = self.client.get(self.url("history", "oie"), {"from": "abc", "to": "1999"})
        self.assertEqual(response.status_code, 200)

    def test_it_shows_one_question_across_the_years(self):
        self.client.force_login(self.manager)
        response = self.client.get(self.url("history", "oie"), {"question": "i14", "qyear": "2563"})
        self.assertContains(response, 'data-testid="trend-2563-I14"')
        self.assertContains(response, "66.02")
        self.assertEqual(response.context["question_codes"][0], "I1")
        # An unknown code is named, not a failure.
        response = self.client.get(self.url("history", "oie"), {"question": "Z9<", "qyear": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="trend-unknown"')
        self.assertEqual(response.context["trend"], [])

    def test_it_shows_the_level_label_and_rule(self):
        self.client.force_login(self.manager)
        response = self.client.get(self.url("detail", "oie", 2563))
        self.assertContains(response, 'data-testid="level"')
        self.assertContains(response, "85.00–94.99")

    def test_it_shows_the_instrument_versions(self):
        self.client.force_login(self.staff)
        self.assertContains(self.client.get(self.url("version_list")), "version-2563")
        response = self.client.get(self.url("version_detail", 2563))
        self.assertContains(response, "Performance is appraised according to the quality of work")
        self.assertContains(response, "0.0100")
        self.assertEqual(self.client.get(self.url("version_detail", 2400)).status_code, 404)

    def test_it_refuses_anyone_without_a_role(self):
        nobody = make_user("nobody", None, self.agency)
        self.client.force_login(nobody)
        self.assertEqual(self.client.get(self.url("detail", "oie", 2563)).status_code, 403)


class MeasureLinkTests(ViewTestCase):
    def test_it_links_each_weak_question_to_the_measures_addressing_it(self):
        plan = make_plan(self.agency, 2564)
        measure = make_measure(plan, 1)
        measure.questions.set(self.oie.version.questions.filter(code__in=["I14", "I13"]))
        other = make_measure(make_plan(self.other_agency, 2564), 1)
        other.questions.set(self.oie.version.questions.filter(code="I20"))
        self.client.force_login(self.manager)
        response = self.client.get(self.url("detail", "oie", 2563))
        weak = {row["code"]: row["measures"] for row in response.context["s"]["weak_questions"]}
        self.assertEqual([(m.number, m.plan_year) for m in weak["I14"]], [(1, 2564)])
        self.assertEqual(weak["I20"], [])  # another agency's measure is not linked
        self.assertContains(response, f'href="{reverse("measures:plan", args=[2564])}#measure-1"')
        self.assertContains(response, 'data-testid="measure-link-I13"')


class WarningTests(ViewTestCase):
    def test_it_shows_each_contradicting_seed_figure_beside_its_figure(self):
        IndicatorScore.objects.filter(assessment=self.oie, indicator__number=3).update(
            score=D("76.41")
        )
        IndicatorScore.objects.filter(assessment=self.oie, indicator__number=9).update(
            score=D("87.78")
        )
        self.oie.instrument_scores.filter(instrument__code="OIT").update(score=D("88.88"))
        self.client.force_login(self.manager)
        response = self.client.get(self.url("detail", "oie", 2563))
        self.assertContains(response, 'data-testid="warning-indicator-score-9"')
        self.assertContains(response, 'data-testid="warning-instrument-score-OIT"')
        self.assertContains(response, 'data-testid="warning-instrument-score-IIT"')
        self.assertContains(response, 'data-testid="discrepancy-indicator-9"')
        self.assertContains(response, "reported 87.78")
        self.assertContains(response, "reported 88.88")


@override_settings(LANGUAGE_CODE="en")
# What a render costs (a page read again comes from the cache: tests/ita_portal/test_pages.py).
@override_settings(PAGE_CACHE=False)
class QueryCountTests(BaseTestCase):
    def detail_queries(self, *, agencies: int, question_scores: bool) -> int:
        make_oie_2563(self.agency, question_scores=question_scores)
        Agency.objects.bulk_create(
            Agency(code=f"a{n}", name_th=f"หน่วยงาน {n}", ministry="กระทรวงอุตสาหกรรม")
            for n in range(agencies)
        )
        self.client.force_login(self.manager)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("assessments:detail", args=["oie", 2563]))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_it_reads_the_detail_page_in_a_fixed_number_of_queries(self):
        # session, user, user's role groups, the assessment (+ agency, version);
        # instruments, indicators, sub-indicators, questions, grade bands;
        # question scores, item answers, sub-indicator, indicator, instrument scores;
        # the measures addressing the weak questions; the user's agency in the navbar; the
        # navbar's unread notifications and the agency's open rounds (none: no work to count);
        # the agency's own survey scores of the year, shown beside the official (surveys).
        self.assertEqual(self.detail_queries(agencies=1, question_scores=True), 19)

    def test_it_reads_the_same_with_500_agencies_and_no_question_scores(self):
        self.assertEqual(self.detail_queries(agencies=500, question_scores=False), 19)


class EditTests(ViewTestCase):
    def test_it_refuses_editing_to_staff_and_managers(self):
        for user in (self.staff, self.manager):
            self.client.force_login(user)
            for name in ("edit", "scores", "items"):
                url = self.url(name, "oie", 2563)
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, {"q_I14": "1"}).status_code, 403)
            self.assertEqual(self.client.get(self.url("create")).status_code, 403)
            self.assertEqual(self.client.get(self.url("version_edit", 2563)).status_code, 403)
        self.assertEqual(QuestionScore.objects.get(question__code="I14").score, D("66.02"))

    def scores_post(self, **changes) -> dict:
        self.client.force_login(self.admin)
        form = self.client.get(self.url("scores", "oie", 2563)).context["form"]
        data = {
            name: "" if form[name].value() is None else form[name].value() for name in form.fields
        }
        data.update(changes)
        return data

    def test_it_saves_scores_with_thai_digits_and_forgets_emptied_ones(self):
        data = self.scores_post(q_I14="๗๐.๕", q_I4="90", q_I20="")
        response = self.client.post(self.url("scores", "oie", 2563), data)
        self.assertRedirects(response, self.url("detail", "oie", 2563))
        scores = dict(self.oie.question_scores.values_list("question__code", "score"))
        self.assertEqual(scores["I14"], D("70.50"))
        self.assertEqual(scores["I4"], D("90.00"))
        self.assertNotIn("I20", scores)
        self.assertEqual(QuestionScore.history.filter(question__code="I14").count(), 2)

    def test_it_refuses_out_of_range_scores_beside_the_field(self):
        data = self.scores_post(q_I14="100.5", i_3="-1", s_9_1="abc")
        response = self.client.post(self.url("scores", "oie", 2563), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="error-q_I14"')
        self.assertContains(response, 'data-testid="error-i_3"')
        self.assertEqual(
            response.context["form"].errors["q_I14"][0],
            ("Ensure this value is less than or equal to 100."),
        )
        self.assertEqual(QuestionScore.objects.get(question__code="I14").score, D("66.02"))

    def test_it_records_oit_item_answers(self):
        self.client.force_login(self.admin)
        url = self.url("items", "oie", 2563)
        response = self.client.post(
            url,
            {"present_O1": "yes", "url_O1": "https://oie.go.th/about", "present_O2": "no"},
        )
        self.assertRedirects(response, self.url("detail", "oie", 2563))
        answers = dict(ItemAnswer.objects.values_list("question__code", "present"))
        self.assertEqual(answers, {"O1": True, "O2": False})
        response = self.client.post(url, {"url_O3": "https://oie.go.th/x"})
        self.assertContains(response, 'data-testid="error-present_O3"')
        response = self.client.post(url, {"present_O3": "yes", "url_O3": "not a url"})
        self.assertContains(response, 'data-testid="error-url_O3"')

    def test_it_corrects_the_reported_figures(self):
        self.client.force_login(self.admin)
        url = self.url("edit", "oie", 2563)
        data = {"reported_total": "๙๑.๕๐", "reported_grade": "A", "rank": "30", "rank_of": "20"}
        response = self.client.post(url, data)
        self.assertContains(response, 'data-testid="error-rank"')
        data["rank"] = "22"
        data["rank_of"] = "146"
        self.assertRedirects(self.client.post(url, data), self.url("detail", "oie", 2563))
        self.oie.refresh_from_db()
        self.assertEqual((self.oie.reported_total, self.oie.rank), (D("91.50"), 22))
        self.assertIsNone(self.oie.iit_population)

    def test_it_creates_an_assessment_for_the_admins_agency(self):
        self.client.force_login(self.admin)
        url = self.url("create")
        response = self.client.post(url, {"fiscal_year": "2563"})
        self.assertContains(response, 'data-testid="error-fiscal_year"')
        response = self.client.post(url, {"fiscal_year": "2400"})
        self.assertContains(response, 'data-testid="error-fiscal_year"')
        Assessment.objects.filter(pk=self.oie.pk).delete()
        response = self.client.post(url, {"fiscal_year": "2563", "reported_total": "91.5"})
        self.assertRedirects(response, self.url("scores", "oie", 2563))
        self.assertEqual(Assessment.objects.get(agency=self.agency).reported_total, D("91.50"))


class OfficialResultPageTests(DemoTestCase):
    """NACC published 92.36; the scores give 92.71 (issue 11): the page leads with 92.36."""

    def test_it_leads_with_the_published_total_and_explains_the_computed_one(self):
        publish_a_different_total(self.assessment)
        self.client.force_login(self.p.staff)
        response = self.client.get(reverse("assessments:detail", args=["oie", 2563]))
        self.assertContains(response, 'data-testid="total-all">92.36<')
        self.assertContains(response, "คะแนนรวมที่ ป.ป.ช. ประกาศ")
        check = response.content.decode().split('data-testid="total-check">')[1].split("</div>")[0]
        assert "92.71" in check and "สูงกว่าที่ประกาศ 0.35" in check
        self.assertContains(response, 'data-testid="discrepancy-total-total"')

    def test_it_calls_a_one_cent_difference_rounding(self):
        self.assessment.reported_total = D("91.49")
        self.assessment.save()
        self.client.force_login(self.p.staff)
        response = self.client.get(reverse("assessments:detail", args=["oie", 2563]))
        self.assertContains(response, 'data-testid="total-all">91.49<')
        self.assertContains(response, 'data-testid="rounding-notes"')
        self.assertNotContains(response, 'data-testid="discrepancies"')


class ThaiFirstPageTests(DemoTestCase):
    def test_the_assessment_pages_speak_only_thai_in_thai_mode(self):
        self.client.force_login(self.p.admin)
        for name, args in [
            ("index", ()),
            ("detail", ("oie", 2563)),
            ("history", ("oie",)),
            ("peers", ("oie", 2563)),
            ("edit", ("oie", 2563)),
            ("scores", ("oie", 2563)),
            ("items", ("oie", 2563)),
            ("create", ()),
            ("version_list", ()),
            ("version_detail", (2563,)),
        ]:
            html = self.client.get(reverse(f"assessments:{name}", args=args)).content.decode()
            assert english_words(html) == [], name


class ScoreEntryTests(DemoTestCase):
    def test_it_shows_each_questions_text_beside_its_box(self):
        self.client.force_login(self.p.admin)
        html = self.client.get(reverse("assessments:scores", args=["oie", 2563])).content.decode()
        entry = html.split('data-testid="question-I14"')[1].split('data-testid="question-')[0]
        assert "ประเมินผลการปฏิบัติงานตามระดับคุณภาพผลงาน" in entry
        assert 'name="q_I14"' in entry and 'value="66.02"' in entry


class MethodTests(ViewTestCase):
    """Every view answers 405 to a method it does not take, before doing any work."""

    READ_ONLY = [
        ("index", ()),
        ("history", ("oie",)),
        ("detail", ("oie", 2563)),
        ("peers", ("oie", 2563)),
        ("version_list", ()),
        ("version_detail", (2563,)),
    ]
    FORMS = [
        ("create", ()),
        ("edit", ("oie", 2563)),
        ("scores", ("oie", 2563)),
        ("items", ("oie", 2563)),
        ("version_copy", (2563,)),
        ("version_edit", (2563,)),
        ("version_texts", (2563,)),
    ]

    def test_the_pages_refuse_post(self):
        self.client.force_login(self.admin)
        for name, args in self.READ_ONLY:
            self.assertEqual(self.client.post(self.url(name, *args)).status_code, 405, name)

    def test_the_forms_take_only_get_and_post(self):
        self.client.force_login(self.admin)
        for name, args in self.FORMS:
            url = self.url(name, *args)
            for method in (self.client.put, self.client.patch, self.client.delete):
                self.assertEqual(method(url).status_code, 405, (name, method))
        self.assertEqual(InstrumentVersion.objects.count(), 1)

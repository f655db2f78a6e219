"""The respondents' form at /s/<code>/: no login, one screen per indicator, resumable, refusals."""

from django.core.cache import caches
from django.test import Client, override_settings

from surveys.models import AccessCode, Draft, Response, SurveyRound, SurveyUnit
from surveys.services import codes_issue
from tests.base import BaseTestCase
from tests.surveys.builders import open_round, survey_version
from tests.surveys.helpers import COOKIE, answer_through_pages

FULL = {"I1": "4", "I2": "1", "I3": "1", "I4.1": "3", "I4.2": "2"}


class FormTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        survey_version()
        cls.survey = open_round(cls.agency, [(cls.unit, 20), (cls.other_unit, 12)])
        cls.entry = SurveyUnit.objects.get(round=cls.survey, unit=cls.unit)

    def setUp(self) -> None:
        caches["throttle"].clear()
        self.path = f"/s/{self.entry.code}/"

    def test_it_opens_without_a_login_in_thai_with_the_pdpa_notice(self):
        response = Client().get(self.path)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "ประกาศความเป็นส่วนตัว")
        self.assertContains(response, 'data-testid="pdpa-notice"')
        self.assertContains(response, self.unit.code)

    def test_it_answers_404_for_an_unknown_link_never_a_login_page(self):
        response = Client().get("/s/no-such-link/")
        self.assertEqual(response.status_code, 404)

    def test_it_says_a_closed_round_is_closed_in_thai(self):
        SurveyRound.objects.filter(pk=self.survey.pk).update(state=SurveyRound.State.CLOSED)
        response = Client().post(self.path, {"action": "start"})
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "ปิดรับคำตอบแล้ว", status_code=410)
        self.assertFalse(Draft.objects.exists())

    def test_it_walks_one_indicator_a_screen_with_progress_and_stores_one_response(self):
        client = Client()
        client.post(self.path, {"action": "start"})
        first = client.get(self.path + "?step=1")
        self.assertContains(first, "ส่วนที่ 1 จาก 2")
        self.assertContains(first, "<legend>I1 ")
        self.assertNotContains(first, "<legend>I3 ")
        self.assertContains(first, '<label for="I1-4">')
        response = answer_through_pages(self.entry, FULL)
        self.assertRedirects(response, f"/s/{self.entry.code}/done/")
        stored = Response.objects.get()
        self.assertEqual(stored.answers, FULL)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.responses, 1)

    def test_it_refuses_a_screen_with_an_unanswered_question_naming_it(self):
        client = Client()
        client.post(self.path, {"action": "start"})
        response = client.post(self.path, {"step": 1, "action": "next", "I1": "2"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "I2: บุคลากรเลือกปฏิบัติกับผู้มาติดต่อ", status_code=400)
        self.assertEqual(Draft.objects.get().answers, {})

    def test_it_refuses_a_submission_with_an_earlier_screen_incomplete(self):
        client = Client()
        client.post(self.path, {"action": "start"})
        client.post(self.path, {"step": 1, "action": "next", "I1": "2", "I2": "2"})
        Draft.objects.update(answers={"I1": "2"})  # I2 lost, as from a tampered draft
        data = {"step": 2, "action": "submit", "I3": "1", "I4.1": "1", "I4.2": "1"}
        response = client.post(self.path, data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "I2", status_code=400)
        self.assertContains(response, "ส่วนที่ 1 จาก 2", status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_it_resumes_a_draft_from_its_cookie_at_the_screen_reached(self):
        client = Client()
        client.post(self.path, {"action": "start"})
        client.post(self.path, {"step": 1, "action": "next", "I1": "3", "I2": "2"})
        token = client.cookies[COOKIE].value
        later = Client()
        later.cookies[COOKIE] = token
        page = later.get(self.path)
        self.assertContains(page, "ส่วนที่ 2 จาก 2")
        back = later.get(self.path + "?step=1")
        self.assertContains(back, 'value="3" checked')

    def test_it_ignores_options_and_items_that_are_not_in_the_questionnaire(self):
        client = Client()
        client.post(self.path, {"action": "start"})
        client.post(self.path, {"step": 1, "action": "next", "I1": "9", "I2": "2", "X": "1"})
        self.assertEqual(Draft.objects.get().answers, {})

    def test_a_double_submission_stores_one_response(self):
        client = Client()
        client.post(self.path, {"action": "start"})
        client.post(self.path, {"step": 1, "action": "next", "I1": "3", "I2": "2"})
        data = {"step": 2, "action": "submit", "I3": "1", "I4.1": "1", "I4.2": "1"}
        token = client.cookies[COOKIE].value
        first = client.post(self.path, data)
        again = Client()
        again.cookies[COOKIE] = token
        second = again.post(self.path, data)
        self.assertEqual(first.status_code, 302)
        self.assertEqual(second.status_code, 400)  # no draft any more: asked to start again
        self.assertEqual(Response.objects.count(), 1)

    @override_settings(SURVEY_STARTS_PER_LINK_PER_MINUTE=2)
    def test_it_limits_the_starts_per_link(self):
        for _ in range(2):
            self.assertEqual(Client().post(self.path, {"action": "start"}).status_code, 302)
        refused = Client().post(self.path, {"action": "start"})
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(Draft.objects.count(), 2)

    def test_it_asks_for_a_one_time_code_and_takes_each_code_once(self):
        survey = SurveyRound.objects.get(pk=self.survey.pk)
        survey.access = SurveyRound.Access.CODES
        survey.save()
        entry = SurveyUnit.objects.get(round=survey, unit=self.other_unit)
        [code] = codes_issue(entry=entry, count=1)
        path = f"/s/{entry.code}/"
        page = Client().get(path)
        self.assertContains(page, 'name="code"')
        wrong = Client().post(path, {"action": "start", "code": "AAAA-AAAA"})
        self.assertEqual(wrong.status_code, 400)
        self.assertContains(wrong, "ใช้ไม่ได้", status_code=400)
        typed = f"{code[:4].lower()}-{code[4:]}"
        done = answer_through_pages(entry, FULL, code=typed)
        self.assertEqual(done.status_code, 302)
        self.assertTrue(AccessCode.objects.get(code=code).used)
        again = Client().post(path, {"action": "start", "code": code})
        self.assertEqual(again.status_code, 400)
        self.assertEqual(Response.objects.filter(survey_unit=entry).count(), 1)

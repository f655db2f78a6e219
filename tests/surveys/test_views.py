"""The survey administration pages: who may do what, bad input, distribution and exports."""

import io
import subprocess

from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ita_portal.forms import format_be
from surveys import services
from surveys.models import AccessCode, Draft, Response, SurveyRound, SurveyUnit
from tests.base import BaseTestCase, make_unit
from tests.reports.builders import pdf_text
from tests.surveys.builders import YEAR, open_round, survey_version
from tests.surveys.helpers import answer_through_pages

FULL = {"I1": "4", "I2": "1", "I3": "1", "I4.1": "3", "I4.2": "2"}


class RoundAdminTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = survey_version()
        cls.iit = cls.version.instruments.get(code="IIT")

    def setUp(self) -> None:
        caches["throttle"].clear()

    def create_form(self, **changes) -> dict:
        today = timezone.localdate()
        data = {
            "instrument": self.iit.pk,
            "opens_on": format_be(today),
            "closes_on": format_be(today + timezone.timedelta(days=14)),
            "access": "link",
        }
        return {**data, **changes}

    def test_an_admin_creates_prepares_and_opens_a_round(self):
        self.client.force_login(self.admin)
        response = self.client.post("/surveys/", self.create_form())
        survey = SurveyRound.objects.get()
        self.assertRedirects(response, f"/surveys/{survey.pk}/")
        self.client.post(f"/surveys/{survey.pk}/units/", {"unit": self.unit.pk, "population": 25})
        self.client.post(f"/surveys/{survey.pk}/open/")
        survey.refresh_from_db()
        self.assertEqual(survey.state, SurveyRound.State.OPEN)
        page = self.client.get(f"/surveys/{survey.pk}/")
        entry = SurveyUnit.objects.get(round=survey)
        self.assertContains(page, f"/s/{entry.code}/")
        self.assertContains(page, "<svg")

    def test_it_refuses_a_closing_date_before_the_opening_naming_the_field(self):
        self.client.force_login(self.admin)
        today = timezone.localdate()
        response = self.client.post(
            "/surveys/", self.create_form(closes_on=format_be(today - timezone.timedelta(days=1)))
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'data-testid="error-closes_on"', status_code=400)
        self.assertFalse(SurveyRound.objects.exists())

    def test_a_version_without_answer_scales_cannot_open_a_survey(self):
        bare = survey_version(YEAR + 1, scales=False)
        survey = services.round_create(
            agency=self.agency,
            instrument=bare.instruments.get(code="IIT"),
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
            access="link",
            run_by=self.admin,
        )
        services.round_unit_set(survey=survey, unit=self.unit, population=10)
        self.client.force_login(self.admin)
        response = self.client.post(f"/surveys/{survey.pk}/open/", follow=True)
        self.assertContains(response, "I1, I2, I3, I4.1, I4.2")
        survey.refresh_from_db()
        self.assertEqual(survey.state, SurveyRound.State.DRAFT)

    def test_staff_read_the_status_but_may_not_run_the_round(self):
        survey = open_round(self.agency, [(self.unit, 20)])
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(f"/surveys/{survey.pk}/status/").status_code, 200)
        self.assertEqual(self.client.post(f"/surveys/{survey.pk}/close/").status_code, 403)
        self.assertEqual(self.client.post("/surveys/", self.create_form()).status_code, 403)
        survey.refresh_from_db()
        self.assertEqual(survey.state, SurveyRound.State.OPEN)

    def test_another_agency_sees_no_round(self):
        survey = open_round(self.agency, [(self.unit, 20)])
        self.client.force_login(self.outsider_admin)
        for url in (f"/surveys/{survey.pk}/", f"/surveys/{survey.pk}/status/"):
            self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(f"/surveys/{survey.pk}/close/").status_code, 404)

    def test_it_requires_a_login_for_the_admin_pages(self):
        response = Client().get("/surveys/")
        self.assertRedirects(response, "/accounts/login/?next=/surveys/")

    def test_the_poster_is_an_a4_pdf_in_thai_with_the_link_and_closing_date(self):
        survey = open_round(self.agency, [(self.unit, 20)])
        entry = SurveyUnit.objects.get(round=survey)
        self.client.force_login(self.staff)
        response = self.client.get(f"/surveys/{survey.pk}/units/{entry.pk}/poster.pdf")
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        self.assertIn(f"/s/{entry.code}/", text.replace("\n", ""))
        self.assertIn("แบบวัดการรับรู้", text)
        self.assertIn(str(survey.closes_on.year + 543), text)
        fonts = subprocess.run(
            ["pdffonts", "-"], input=response.content, capture_output=True, check=False
        ).stdout.decode()
        self.assertIn("Sarabun", fonts)

    def test_codes_are_shown_once_and_mailed_codes_keep_no_address(self):
        survey = open_round(self.agency, [(self.unit, 20)], access=SurveyRound.Access.CODES)
        entry = SurveyUnit.objects.get(round=survey)
        self.client.force_login(self.admin)
        page = self.client.post(f"/surveys/{survey.pk}/units/{entry.pk}/codes/", {"count": 3})
        self.assertContains(page, 'data-testid="code"', count=3)
        self.client.post(
            f"/surveys/{survey.pk}/units/{entry.pk}/codes/mail/",
            {"addresses": "a@example.go.th\nb@example.go.th"},
        )
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(AccessCode.objects.count(), 5)
        every_row = repr(list(AccessCode.objects.values()))
        self.assertNotIn("example.go.th", every_row)
        bad = self.client.post(
            f"/surveys/{survey.pk}/units/{entry.pk}/codes/mail/",
            {"addresses": "a@example.go.th\nnot an address"},
            follow=True,
        )
        self.assertContains(bad, "not an address")
        self.assertEqual(AccessCode.objects.count(), 5)

    def test_an_eit_interview_is_recorded_as_a_telephone_answer(self):
        survey = open_round(self.agency, [(self.unit, 30)], code="EIT")
        entry = SurveyUnit.objects.get(round=survey)
        self.client.force_login(self.staff)
        path = f"/surveys/{survey.pk}/units/{entry.pk}/interview/"
        self.assertContains(self.client.get(path), 'data-testid="interview-mode"')
        self.client.post(path, {"action": "start"})
        done = self.client.post(path, {"step": 1, "action": "submit", "E1": "3", "E2": "1"})
        self.assertRedirects(done, path)
        self.assertEqual(Response.objects.get().channel, Response.Channel.TELEPHONE)

    def test_exports_write_one_row_per_response_and_keep_text_inert(self):
        unit = make_unit(self.agency, "=HYPERLINK(1)", "หน่วยสูตร")
        survey = open_round(self.agency, [(unit, 20)])
        entry = SurveyUnit.objects.get(round=survey)
        for _ in range(5):
            answer_through_pages(entry, FULL)
        services.round_close(survey=survey)
        self.client.force_login(self.manager)
        book = load_workbook(
            io.BytesIO(self.client.get(f"/surveys/{survey.pk}/answers.xlsx").content)
        )
        rows = list(book.active.values)
        self.assertEqual(len(rows), 6)
        self.assertEqual(rows[1][1], "'=HYPERLINK(1)")
        self.assertEqual(rows[1][3:], (100, 100, 100, 67, 67))
        csv = self.client.get(f"/surveys/{survey.pk}/answers.csv").content.decode("utf-8-sig")
        self.assertIn("'=HYPERLINK(1)", csv)
        results = load_workbook(
            io.BytesIO(self.client.get(f"/surveys/{survey.pk}/results.xlsx").content)
        )
        cells = list(results.active.values)
        self.assertEqual(cells[1][2], 91.75)
        self.assertEqual(self.client.get(f"/surveys/{survey.pk}/answers.pdf").status_code, 404)


class DistributionFileTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        survey_version()
        cls.survey = open_round(cls.agency, [(cls.unit, 20)])
        cls.entry = SurveyUnit.objects.get(round=cls.survey)

    def test_the_qr_code_downloads_as_svg_holding_the_link(self):
        self.client.force_login(self.staff)
        response = self.client.get(f"/surveys/{self.survey.pk}/units/{self.entry.pk}/qr.svg")
        self.assertEqual(response["Content-Type"], "image/svg+xml")
        self.assertIn(b"<svg", response.content)
        self.assertIn(f"/s/{self.entry.code}/".encode(), response.content)

    def test_drafts_left_untouched_are_deleted(self):
        Client().post(f"/s/{self.entry.code}/", {"action": "start"})
        old = timezone.localdate() - timezone.timedelta(days=15)
        Draft.objects.update(updated_on=old)
        out = io.StringIO()
        call_command("survey_drafts_expire", stdout=out)
        self.assertIn("1 survey drafts deleted", out.getvalue())
        self.assertFalse(Draft.objects.exists())

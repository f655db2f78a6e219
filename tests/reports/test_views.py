from io import BytesIO
from unittest import mock

from django.core.cache import cache
from openpyxl import load_workbook

from assessments.models import IndicatorScore
from measures.models import ProgressReport
from reports import views
from tests.reports.builders import DemoTestCase, english_words

SUMMARY = "/reports/oie/2563/summary/"
SUMMARY_PDF = "/reports/oie/2563/summary.pdf"
SUMMARY_XLSX = "/reports/oie/2563/summary.xlsx"
PROGRESS = "/reports/oie/2564/progress/1/"
PROGRESS_PDF = "/reports/oie/2564/progress/1.pdf"
PROGRESS_XLSX = "/reports/oie/2564/progress/1.xlsx"
ALL = [SUMMARY, SUMMARY_PDF, SUMMARY_XLSX, PROGRESS, PROGRESS_PDF, PROGRESS_XLSX]
FAKE_PDF = b"%PDF-1.7 fake"


def fake_pdf(template_name, context, *, request=None):
    return FAKE_PDF


@mock.patch.object(views, "render_pdf", side_effect=fake_pdf)
class PermissionTests(DemoTestCase):
    def setUp(self):
        cache.clear()

    def test_it_sends_anonymous_users_to_login(self, render):
        for url in [*ALL, "/reports/"]:
            response = self.client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url

    def test_it_lets_managers_and_admins_download_everything(self, render):
        for user in (self.p.manager, self.p.admin):
            self.client.force_login(user)
            for url in ALL:
                assert self.client.get(url).status_code == 200, (user, url)

    def test_it_refuses_the_executive_summary_to_staff(self, render):
        self.client.force_login(self.p.staff)
        for url in (SUMMARY, SUMMARY_PDF, SUMMARY_XLSX):
            assert self.client.get(url).status_code == 403, url
        for url in (PROGRESS, PROGRESS_PDF, PROGRESS_XLSX):
            assert self.client.get(url).status_code == 200, url

    def test_it_hides_another_agencys_reports(self, render):
        for user in (self.p.outsider, self.p.outsider_admin):
            self.client.force_login(user)
            for url in ALL:
                assert self.client.get(url).status_code == 404, (user, url)

    def test_it_answers_404_for_a_missing_year_or_round(self, render):
        self.client.force_login(self.p.manager)
        for url in (
            "/reports/oie/2570/summary/",
            "/reports/oie/2570/summary.pdf",
            "/reports/oie/2564/progress/9/",
            "/reports/oie/2563/progress/1.pdf",
            "/reports/nowhere/2563/summary/",
        ):
            assert self.client.get(url).status_code == 404, url

    def test_it_rejects_bad_input(self, render):
        self.client.force_login(self.p.manager)
        assert self.client.get(SUMMARY_PDF + "?digits=roman").status_code == 400
        assert self.client.get(PROGRESS + "?digits=<script>").status_code == 400
        assert self.client.post(SUMMARY_PDF).status_code == 405
        render.assert_not_called()

    def test_it_refuses_users_without_a_role(self, render):
        self.p.staff.groups.clear()
        self.client.force_login(self.p.staff)
        assert self.client.get(PROGRESS_PDF).status_code == 403
        assert self.client.get("/reports/").status_code == 403

    def test_the_index_lists_what_each_role_may_download(self, render):
        self.client.force_login(self.p.manager)
        page = self.client.get("/reports/").content.decode()
        assert SUMMARY in page and PROGRESS_PDF in page
        self.client.force_login(self.p.staff)
        page = self.client.get("/reports/").content.decode()
        assert SUMMARY not in page and PROGRESS_PDF in page


@mock.patch.object(views, "render_pdf", side_effect=fake_pdf)
class DownloadTests(DemoTestCase):
    def setUp(self):
        cache.clear()
        self.client.force_login(self.p.manager)

    def test_it_serves_pdf_as_an_attachment(self, render):
        response = self.client.get(SUMMARY_PDF)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="ita-summary-oie-2563.pdf"'
        )
        assert response.content == FAKE_PDF
        template, context = render.call_args.args
        assert template == "reports/pdf/summary.html"
        assert context["s"]["total"] is not None and context["d"] == ""

    def test_it_passes_the_thai_digits_option(self, render):
        self.client.get(PROGRESS_PDF + "?digits=thai")
        assert render.call_args.args[1]["d"] == "thai"

    def test_it_serves_the_same_tables_as_xlsx(self, render):
        response = self.client.get(SUMMARY_XLSX)
        assert response["Content-Disposition"].endswith('ita-summary-oie-2563.xlsx"')
        book = load_workbook(BytesIO(response.content))
        assert len(book.sheetnames) == 5
        table1 = list(book.worksheets[0].iter_rows(values_only=True))
        assert table1[1][:2] == ("IIT", 1) and float(table1[1][4]) == 90.08
        weak = list(book.worksheets[2].iter_rows(values_only=True))
        assert weak[1][1] == "I14" and float(weak[1][5]) == 66.02 and len(weak) == 23
        rows = list(load_workbook(BytesIO(self.client.get(PROGRESS_XLSX).content)).active.values)
        assert len(rows) == 7 and rows[1][1] == "1.1"

    def test_a_repeated_download_comes_from_the_cache(self, render):
        first = self.client.get(SUMMARY_PDF).content
        # Session, user, role groups, the assessment (+agency, version), the data stamp, the
        # shared cache's read of the PDF (a table in the database by default).
        with self.assertNumQueries(6):
            second = self.client.get(SUMMARY_PDF).content
        assert first == second
        assert render.call_count == 1

    def test_a_changed_score_renders_the_summary_again(self, render):
        self.client.get(SUMMARY_PDF)
        score = IndicatorScore.objects.get(assessment__fiscal_year=2563, indicator__number=4)
        score.score = "81.00"
        score.save()
        self.client.get(SUMMARY_PDF)
        assert render.call_count == 2
        lowest = render.call_args.args[1]["s"]["lowest"]
        assert (lowest["number"], str(lowest["score"])) == (3, "80.81")

    def test_a_changed_progress_report_renders_both_reports_again(self, render):
        self.client.get(SUMMARY_PDF)
        self.client.get(PROGRESS_PDF)
        report = ProgressReport.objects.get(round__number=1, activity__number="1.1")
        report.results = "ปรับปรุงแล้ว"
        report.save()
        self.client.get(SUMMARY_PDF)
        self.client.get(PROGRESS_PDF)
        assert render.call_count == 4

    def test_each_language_and_digit_style_has_its_own_entry(self, render):
        self.client.get(PROGRESS_PDF)
        self.client.get(PROGRESS_PDF + "?digits=thai")
        self.client.cookies["django_language"] = "en"  # the language switch
        self.client.get(PROGRESS_PDF)
        del self.client.cookies["django_language"]
        self.client.get(PROGRESS_PDF)
        assert render.call_count == 3


class ThaiFirstTests(DemoTestCase):
    def test_the_reports_speak_only_thai_in_thai_mode(self):
        self.client.force_login(self.p.manager)
        for url in ("/reports/", SUMMARY, PROGRESS, SUMMARY + "?digits=thai"):
            assert english_words(self.client.get(url).content.decode()) == [], url

    def test_the_appendix_names_the_total_in_thai(self):
        self.assessment.reported_total = "88.88"
        self.assessment.save()
        self.client.force_login(self.p.manager)
        html = self.client.get(SUMMARY).content.decode()
        assert 'data-testid="discrepancy-total-total"' in html
        assert english_words(html) == []


@mock.patch.object(views, "render_pdf", side_effect=fake_pdf)
class MethodTests(DemoTestCase):
    def test_every_report_refuses_anything_but_get(self, render):
        self.client.force_login(self.p.manager)
        for url in [*ALL, "/reports/"]:
            for method in (self.client.post, self.client.put, self.client.delete):
                assert method(url).status_code == 405, (url, method)
        render.assert_not_called()

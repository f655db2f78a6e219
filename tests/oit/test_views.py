"""The /oit/ pages: who sees and does what, bad input, query counts, and the exports."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from measures.models import Plan
from oit.models import OitFile, OitItem, OitRound
from tests.base import BaseTestCase
from tests.measures.builders import PDF_BYTES
from tests.media import TemporaryMediaRoot
from tests.oit.builders import accept, item_of, local_site, make_round

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class OitViewTests(TemporaryMediaRoot, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.round = make_round(cls.agency, cls.admin)
        cls.item = item_of(cls.round, "O1")
        cls.item.unit = cls.unit
        cls.item.save()

    def url(self, name: str, *args) -> str:
        return reverse(f"oit:{name}", args=args)

    def answer(self, **extra) -> dict:
        return {
            "status": "done",
            "urls": "https://oie.example/structure\nhttps://oie.example/chart",
            "explanation": "ผังโครงสร้าง",
            **extra,
        }

    # --- reading ---------------------------------------------------------------------------

    def test_every_role_of_the_agency_reads_the_round_and_outsiders_get_404(self):
        for user in (self.staff, self.manager, self.admin):
            self.client.force_login(user)
            for url in (
                self.url("round", 2563),
                self.url("dashboard", 2563),
                self.url("item", self.item.pk),
            ):
                assert self.client.get(url).status_code == 200, (user, url)
        self.client.force_login(self.outsider)
        for url in (
            self.url("round", 2563),
            self.url("item", self.item.pk),
            self.url("export_xlsx", 2563),
        ):
            assert self.client.get(url).status_code == 404
        self.client.logout()
        assert self.client.get(self.url("round", 2563)).status_code == 302

    def test_only_admins_start_rounds_and_assign(self):
        self.client.force_login(self.manager)
        assert self.client.post(self.url("round_create"), {"fiscal_year": 2563}).status_code == 403
        data = {
            "unit": self.other_unit.pk,
            "owners": [self.other_staff.pk],
            "due_on": "31/03/2564",
            "requirement": "แสดงแผนผัง",
        }
        assert self.client.post(self.url("item_assign", self.item.pk), data).status_code == 403
        self.client.force_login(self.admin)
        response = self.client.post(self.url("item_assign", self.item.pk), data)
        assert response.status_code == 302
        item = OitItem.objects.get(pk=self.item.pk)
        assert item.unit == self.other_unit and str(item.due_on) == "2021-03-31"
        assert list(item.owners.all()) == [self.other_staff]

    def test_a_bad_due_date_changes_nothing_and_says_why(self):
        self.client.force_login(self.admin)
        response = self.client.post(
            self.url("item_assign", self.item.pk),
            {"due_on": "31/03/2021", "requirement": "x"},
            follow=True,
        )
        assert "alert-danger" in response.content.decode()
        assert OitItem.objects.get(pk=self.item.pk).requirement == ""

    def test_the_units_staff_answer_others_may_not(self):
        self.client.force_login(self.other_staff)
        assert (
            self.client.post(self.url("item_answer", self.item.pk), self.answer()).status_code
            == 403
        )
        self.client.force_login(self.staff)
        page = self.client.get(self.url("item", self.item.pk)).content.decode()
        assert 'data-testid="answer-form"' in page and 'data-testid="review-form"' not in page
        response = self.client.post(
            self.url("item_answer", self.item.pk), self.answer(and_submit="1")
        )
        assert response.status_code == 302
        item = OitItem.objects.get(pk=self.item.pk)
        assert item.state == "submitted" and item.links.count() == 2

    def test_a_bad_link_is_refused_and_nothing_changes(self):
        self.client.force_login(self.staff)
        response = self.client.post(
            self.url("item_answer", self.item.pk),
            self.answer(urls="javascript:alert(1)"),
            follow=True,
        )
        assert "alert-danger" in response.content.decode()
        assert not OitItem.objects.get(pk=self.item.pk).links.exists()

    def test_staff_may_not_review_and_managers_score_with_allowed_values(self):
        self.client.force_login(self.staff)
        self.client.post(self.url("item_answer", self.item.pk), self.answer(and_submit="1"))
        review = {"score": "1", "comment": "", "decision": "accept"}
        assert self.client.post(self.url("item_review", self.item.pk), review).status_code == 403
        self.client.force_login(self.manager)
        page = self.client.get(self.url("item", self.item.pk)).content.decode()
        assert 'data-testid="review-form"' in page
        self.client.post(self.url("item_review", self.item.pk), {**review, "score": "0.5"})
        assert OitItem.objects.get(pk=self.item.pk).state == "submitted"
        self.client.post(self.url("item_review", self.item.pk), review)
        assert OitItem.objects.get(pk=self.item.pk).state == "accepted"

    def test_only_a_manager_approves_the_round(self):
        self.client.force_login(self.admin)
        assert self.client.post(self.url("round_approve", 2563)).status_code == 403
        self.client.force_login(self.manager)
        response = self.client.post(self.url("round_approve", 2563), follow=True)
        assert "alert-danger" in response.content.decode()
        assert OitRound.objects.get(pk=self.round.pk).state == "open"

    def test_files_are_attached_downloaded_and_removed_by_their_writers(self):
        self.client.force_login(self.staff)
        upload = SimpleUploadedFile("ประกาศ.pdf", PDF_BYTES, content_type="application/pdf")
        assert (
            self.client.post(self.url("file_add", self.item.pk), {"file": upload}).status_code
            == 302
        )
        attachment = OitFile.objects.get()
        download = self.client.get(self.url("file_download", attachment.pk))
        assert b"".join(download.streaming_content) == PDF_BYTES
        self.client.force_login(self.other_staff)
        assert self.client.post(self.url("file_delete", attachment.pk)).status_code == 403
        self.client.force_login(self.outsider)
        assert self.client.get(self.url("file_download", attachment.pk)).status_code == 404
        self.client.force_login(self.staff)
        self.client.post(self.url("file_delete", attachment.pk))
        assert not OitFile.objects.exists()

    @override_settings(OIT_LINKCHECK_ALLOW_PRIVATE=True, TASKS=IMMEDIATE)
    def test_reviewers_check_the_links_from_the_round_page(self):
        with local_site() as base:
            self.client.force_login(self.staff)
            self.client.post(
                self.url("item_answer", self.item.pk), self.answer(urls=f"{base}/ok\n{base}/old")
            )
            assert self.client.post(self.url("round_check_links", 2563)).status_code == 403
            self.client.force_login(self.admin)
            self.client.post(self.url("round_check_links", 2563))
        verdicts = dict(self.item.links.values_list("url", "verdict"))
        assert verdicts == {f"{base}/ok": "ok", f"{base}/old": "moved"}

    # --- the portal as evidence ------------------------------------------------------------

    def test_it_suggests_the_public_plan_page_for_the_measures_items(self):
        o42 = item_of(self.round, "O42")
        self.client.force_login(self.admin)
        page = self.client.get(self.url("item", o42.pk)).content.decode()
        assert 'data-testid="suggested-url"' not in page  # no published plan of 2563
        Plan.objects.create(agency=self.agency, fiscal_year=2563, title_th="แผน", is_published=True)
        page = self.client.get(self.url("item", o42.pk)).content.decode()
        assert "/public/oie/2563/" in page and 'data-testid="suggested-url"' in page
        page = self.client.get(self.url("item", self.item.pk)).content.decode()
        assert 'data-testid="suggested-url"' not in page

    # --- the dashboard and the exports -----------------------------------------------------

    def test_the_dashboard_predicts_the_score_in_a_pinned_number_of_queries(self):
        items = list(self.round.items.select_related("round__agency", "round__version", "question"))
        for item in items:
            if item.question.code != "O1":
                accept(item, writer=self.staff, reviewer=self.admin)
        self.client.force_login(self.manager)
        self.client.get(self.url("dashboard", 2563))  # warm the session and the user's caches
        # session, user, round; items, owners, links, files (round_items);
        # version spec (instruments, indicators, sub-indicators, questions, bands);
        # the user's roles; navigation: unread notifications, open rounds, the user's agency.
        with self.assertNumQueries(16):
            response = self.client.get(self.url("dashboard", 2563))
        board = response.context["board"]
        assert board.prediction.oit == Decimal("98.89")
        assert board.prediction.on_total == Decimal("39.56")
        assert [item.question.code for item, _share in board.costs] == ["O1"]
        assert 'data-testid="predicted-oit"' in response.content.decode()

    def test_the_round_page_is_pinned_too(self):
        self.client.force_login(self.staff)
        self.client.get(self.url("round", 2563))
        # session, user, round; items, owners, links, files; the user's roles;
        # navigation: unread notifications, open rounds, the user's agency.
        with self.assertNumQueries(11):
            self.client.get(self.url("round", 2563))

    def test_the_xlsx_has_one_row_per_item_with_each_url_in_a_column_and_no_formulas(self):
        self.client.force_login(self.staff)
        self.client.post(
            self.url("item_answer", self.item.pk),
            self.answer(explanation='=HYPERLINK("http://evil")'),
        )
        self.client.get(self.url("export_xlsx", 2563))
        # session, user, round; items, owners, links, files, sub-items (required elements),
        # elements done.
        with self.assertNumQueries(9):
            response = self.client.get(self.url("export_xlsx", 2563))
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:6] == ("ข้อ", "ตัวชี้วัดย่อย", "ข้อกำหนด", "สถานะ", "URL 1", "URL 2")
        assert len(rows) == 44
        assert rows[1][0] == "O1" and rows[1][4:6] == (
            "https://oie.example/structure",
            "https://oie.example/chart",
        )
        assert rows[1][6] == '\'=HYPERLINK("http://evil")'

    def test_the_portfolio_is_a_pdf_with_the_items(self):
        self.client.force_login(self.staff)
        self.client.post(self.url("item_answer", self.item.pk), self.answer())
        response = self.client.get(self.url("portfolio_pdf", 2563))
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(
            b"%PDF"
        )
        from tests.test_security_cross_agency import response_text

        text = response_text(response)
        assert "https://oie.example/structure" in text and "O43" in text

"""Bad input across every form and upload: a clear answer, never a server error, nothing changed.

Each form is fetched as its rightful user and its own rendered values are posted back, changed in
one way at a time: without the CSRF token, by the wrong user, with one malformed field, with an
oversized body, with HTML and script in its text fields, or with a bad file. Every answer must be
a page that says what went wrong (or, for HTML in text, a save that shows the text escaped in
HTML and as plain text in the PDF), never a 500, and the database and the media files must be
exactly as before.
"""

import hashlib
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client

from accounts.models import Unit
from accounts.roles import Role
from measures.models import Evidence, ProgressReport
from tests.assessments.builders import make_oie_2563
from tests.base import BaseTestCase, make_user
from tests.forms import Form, page_form
from tests.imports.builders import score_workbook
from tests.measures.builders import PDF_BYTES, PlanWorld, make_report
from tests.media import TemporaryMediaRoot
from tests.oit.builders import item_of
from tests.oit.builders import make_round as make_oit_round
from tests.writes import recording_writes

XSS = '<script>alert("ita")</script><img src=x onerror=alert(1)>'
XSS_ESCAPED = (
    "&lt;script&gt;alert(&quot;ita&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
)
CSRF_TH = "แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งมาจากระบบ (403)"
ERROR_MARKERS = ('class="invalid-feedback', "alert-danger", 'class="errorlist')
STATE_APPS = ["accounts", "auth", "assessments", "imports", "measures"]
STATE_APPS += ["reports"]
STATE_APPS += ["oit"]
# An upload waits for its confirmation with its checked rows; like its file, that is not data.
TRANSIENT_MODELS = {"imports.PendingImport", "imports.PendingPage"}
# Derived data: a page stores a ranking's results when it first reads them (assessments.standings).
TRANSIENT_MODELS |= {"assessments.StoredResult"}
IGNORED_FIELDS = {"last_login"}  # every test client's login sets it
# Uploaded workbooks wait here for their preview and expire after a day (imports.pending).
PENDING_IMPORTS = "imports"
TYPED_IN = {"text", "textarea", "url", "password", "email", "number"}


# --- what "nothing changed" means ----------------------------------------------------------


def state_models() -> list:
    return [
        model
        for label in STATE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.label not in TRANSIENT_MODELS
    ]


def database_state() -> dict[str, str]:
    """A fingerprint of every row (history included) of the portal's apps."""
    prints = {}
    for model in state_models():
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS]
        rows = model._base_manager.order_by("pk").values_list(*fields)
        prints[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return prints


def media_state(media_root: Path) -> list[str]:
    """The files under MEDIA_ROOT (pending imports aside; folders are not data)."""
    return sorted(
        p.relative_to(media_root).as_posix()
        for p in media_root.rglob("*")
        if p.relative_to(media_root).parts[0] != PENDING_IMPORTS and p.is_file()
    )


# --- the forms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """A form: where its page is, who may send it, who may not, and its free-text fields."""

    name: str
    page: str
    field: str
    allowed: str
    denied: tuple[str, ...]
    text_fields: tuple[str, ...] = ()


ENDPOINTS = [
    Endpoint(
        "progress report",
        "/measures/activity/{activity}/round/{round}/",
        "results",
        "staff",
        ("other_staff", "outsider"),
        ("results", "obstacles", "next_steps"),
    ),
    Endpoint(
        "report review",
        "/measures/activity/{other_activity}/round/{round}/",
        "comment",
        "manager",
        ("staff", "outsider"),
        ("comment",),
    ),
    Endpoint(
        "evidence link",
        "/measures/activity/{activity}/round/{round}/",
        "url",
        "staff",
        ("other_staff", "outsider"),
    ),
    Endpoint(
        "plan",
        "/measures/2564/edit/",
        "title_th",
        "admin",
        ("manager", "staff", "outsider"),
        ("title_th", "title_en"),
    ),
    Endpoint("new plan", "/measures/new/", "title_th", "admin", ("manager", "staff")),
    Endpoint(
        "measure",
        "/measures/2564/measures/{measure}/edit/",
        "title_th",
        "admin",
        ("manager", "staff", "outsider"),
        ("title_th", "title_en", "rationale_th", "rationale_en"),
    ),
    Endpoint(
        "activity",
        "/measures/measure/{measure}/activities/{activity}/edit/",
        "title_th",
        "admin",
        ("manager", "staff", "outsider"),
        ("title_th", "title_en"),
    ),
    Endpoint(
        "round",
        "/measures/2564/rounds/{round}/edit/",
        "name_th",
        "admin",
        ("manager", "staff", "outsider"),
    ),
    Endpoint(
        "assessment results",
        "/assessments/oie/2563/edit/",
        "reported_total",
        "admin",
        ("manager", "staff", "outsider_admin"),
        ("note",),
    ),
    Endpoint(
        "question scores",
        "/assessments/oie/2563/scores/",
        "q_I14",
        "admin",
        ("manager", "staff", "outsider_admin"),
    ),
    Endpoint(
        "OIT items",
        "/assessments/oie/2563/items/",
        "url_O1",
        "admin",
        ("manager", "staff", "outsider_admin"),
    ),
    Endpoint(
        "instrument version",
        "/assessments/versions/2563/edit/",
        "version-pass_mark",
        "steward",  # portal-wide reference data: an agency's admin may not change it
        ("admin", "manager", "staff"),
    ),
    Endpoint("password", "/accounts/password_change/", "old_password", "staff", ()),
    Endpoint(
        "document text",
        "/reports/oie/2564/measures/texts/foreword/",
        "text",
        "manager",
        ("staff", "outsider"),
        ("text",),
    ),
    Endpoint(
        "document settings",
        "/reports/oie/2564/measures/settings/",
        "issuing_unit",
        "admin",
        ("staff", "outsider"),
        ("issuing_unit", "signer_name"),
    ),
    Endpoint(
        "OIT answer",
        "/oit/items/{oit_item}/",
        "urls",
        "staff",
        ("other_staff", "outsider"),
        ("explanation",),
    ),
    Endpoint(
        "OIT assignment",
        "/oit/items/{oit_item}/",
        "requirement",
        "admin",
        ("manager", "staff", "outsider"),
        ("requirement",),
    ),
]


def malformed_changes(form: Form) -> list[dict[str, str]]:
    """One change per typed field: a value no such field accepts."""
    changes = []
    for name, kind in form.kinds.items():
        if name == "csrfmiddlewaretoken" or kind in {"submit", "button", "file", "boolean"}:
            continue
        if kind in {"select", "radio", "checkbox"}:
            changes.append({name: "no-such-choice"})
        elif kind in {"number", "hidden"} or name == "percent":
            changes.append({name: "๑๒x<>"})
        elif kind == "url":
            changes.append({name: "javascript:alert(1)"})
        elif kind == "date":
            changes.append({name: "2021-02-30"})
        else:
            changes.append({name: "bad\x00null"})
    return changes


def pdf_text(payload: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(payload)
        pdf.flush()
        result = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True)
    return " ".join(result.stdout.split())


class BadInputTests(TemporaryMediaRoot, BaseTestCase):
    """One world, built once; every attempt is rolled back after its checks."""

    media_prefix = "ita-bad-input-"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.steward = make_user("steward", Role.STEWARD, None)
        cls.assessment = make_oie_2563(cls.agency)
        cls.world = PlanWorld(cls.p)
        cls.world.plan.based_on = cls.assessment
        cls.world.plan.save()
        cls.report = make_report(cls.world.activity, cls.world.round)
        make_report(
            cls.world.other_activity,
            cls.world.round,
            state=ProgressReport.State.SUBMITTED,
            submitted_by=cls.other_staff,
        )
        Evidence.objects.create(
            report=cls.report, url="https://example.go.th/evidence", uploaded_by=cls.staff
        )
        cls.oit_item = item_of(make_oit_round(cls.agency, cls.admin), "O1")
        cls.oit_item.unit = cls.unit
        cls.oit_item.save()

    def setUp(self) -> None:
        self.media = Path(settings.MEDIA_ROOT)
        # Every statement is watched: the database is fingerprinted again only after an
        # attempt (or anything between attempts) wrote data (tests/writes.py).
        self.writes = self.enterContext(recording_writes())
        self.state_tables = {model._meta.db_table for model in state_models()}
        self.baseline: dict[str, str] | None = None

    def url(self, template: str) -> str:
        return template.format(
            activity=self.world.activity.pk,
            other_activity=self.world.other_activity.pk,
            round=self.world.round.pk,
            measure=self.world.measure.pk,
            oit_item=self.oit_item.pk,
        )

    def client_for(self, who: str, **options) -> Client:
        client = Client(**options)
        client.force_login(getattr(self, who))
        return client

    def harvest(self, endpoint: Endpoint) -> Form:
        return page_form(self.client_for(endpoint.allowed), self.url(endpoint.page), endpoint.field)

    @contextmanager
    def attempt(self, *, changes: bool = False):
        """Check that nothing changed (unless changes are expected), then roll back."""
        if self.baseline is None or self.writes.wrote_any(self.state_tables):
            self.baseline = database_state()
            self.writes.clear()
        media_before = media_state(self.media)
        with transaction.atomic():
            yield
            if not changes:
                self.assertEqual(media_state(self.media), media_before)
                if self.writes.wrote_any(self.state_tables):
                    self.assertEqual(database_state(), self.baseline)
            transaction.set_rollback(True)
        self.writes.clear()  # the rollback undid whatever the attempt wrote

    def test_an_attempt_that_changes_a_row_fails_its_check(self):
        with self.assertRaises(AssertionError), self.attempt():
            Unit.objects.filter(pk=self.unit.pk).update(name_th="เปลี่ยน")
        with self.assertRaises(AssertionError), self.attempt(), connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_unit SET name_en = 'x'")
        with self.attempt():  # a login alone changes nothing that counts
            self.client_for("staff")

    def assert_refused_with_a_message(self, response) -> None:
        self.assertNotEqual(response.status_code, 500)
        body = response.content.decode()
        self.assertTrue(any(marker in body for marker in ERROR_MARKERS), body[:3000])

    def test_it_refuses_a_form_without_its_csrf_token(self):
        for endpoint in ENDPOINTS:
            with self.subTest(endpoint.name), self.attempt():
                form = self.harvest(endpoint)
                data = form.data()
                data.pop("csrfmiddlewaretoken")
                client = self.client_for(endpoint.allowed, enforce_csrf_checks=True)
                response = client.post(form.action, data)
                self.assertEqual(response.status_code, 403)
                self.assertIn(CSRF_TH, response.content.decode())

    def test_it_sends_anonymous_posts_to_the_login_page(self):
        for endpoint in ENDPOINTS:
            with self.subTest(endpoint.name), self.attempt():
                form = self.harvest(endpoint)
                response = Client().post(form.action, form.data())
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/accounts/login/"))

    def test_it_refuses_the_wrong_role_or_unit(self):
        for endpoint in ENDPOINTS:
            form = self.harvest(endpoint)
            for who in endpoint.denied:
                with self.subTest(endpoint.name, who=who), self.attempt():
                    response = self.client_for(who).post(form.action, form.data())
                    self.assertIn(response.status_code, {403, 404})

    # The longest test of the suite, in three parts that parallel test workers share out: every
    # form's malformed fields, dealt out one by one (one form, the OIT items', holds two fifths of
    # them, so dealing out whole forms left one part three times as long as the others).
    def test_it_answers_each_malformed_field_with_a_message_1_of_3(self):
        self.answers_each_malformed_field(part=0, parts=3)

    def test_it_answers_each_malformed_field_with_a_message_2_of_3(self):
        self.answers_each_malformed_field(part=1, parts=3)

    def test_it_answers_each_malformed_field_with_a_message_3_of_3(self):
        self.answers_each_malformed_field(part=2, parts=3)

    def answers_each_malformed_field(self, *, part: int, parts: int) -> None:
        dealt = 0
        for endpoint in ENDPOINTS:
            form = self.harvest(endpoint)
            client = self.client_for(endpoint.allowed)
            for change in malformed_changes(form):
                dealt += 1
                if dealt % parts != part:
                    continue
                [(field, _)] = change.items()
                with self.subTest(endpoint.name, change=change), self.attempt():
                    response = client.post(form.action, form.data(**change), follow=True)
                    if form.kinds[field] == "hidden":
                        # A hidden field changes only when someone tampers with the form: it
                        # must change nothing, but need not explain itself.
                        self.assertIn(response.status_code, {200, 400, 409})
                    else:
                        self.assert_refused_with_a_message(response)

    def test_it_refuses_an_oversized_request(self):
        big = "ก" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 1)  # 3 bytes each in UTF-8
        for endpoint in ENDPOINTS:
            with self.subTest(endpoint.name), self.attempt():
                form = self.harvest(endpoint)
                field = next(n for n, k in form.kinds.items() if k in TYPED_IN)
                client = self.client_for(endpoint.allowed)
                response = client.post(form.action, form.data(**{field: big}))
                self.assertEqual(response.status_code, 400)
                self.assertIn("ระบบไม่เข้าใจคำขอนี้ (400)", response.content.decode())

    def test_it_escapes_html_and_script_in_text(self):
        pages = [
            "/measures/2564/",
            f"/measures/activity/{self.world.activity.pk}/",
            f"/measures/activity/{self.world.activity.pk}/round/{self.world.round.pk}/",
            f"/measures/activity/{self.world.other_activity.pk}/round/{self.world.round.pk}/",
            "/measures/2564/dashboard/",
            "/assessments/oie/2563/",
            "/reports/oie/2563/summary/",
            "/reports/oie/2564/progress/1/",
        ]
        reader = self.client_for("admin")
        for endpoint in ENDPOINTS:
            for field in endpoint.text_fields:
                with self.subTest(endpoint.name, field=field), self.attempt(changes=True):
                    form = self.harvest(endpoint)
                    client = self.client_for(endpoint.allowed)
                    response = client.post(form.action, form.data(**{field: XSS}))
                    self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
                    shown = False
                    for page in [response["Location"], self.url(endpoint.page), *pages]:
                        body = reader.get(page).content.decode()
                        self.assertNotIn(XSS, body, page)
                        self.assertNotIn("<script>alert", body, page)
                        shown = shown or XSS_ESCAPED in body
                    self.assertTrue(shown, f"{field} was not shown on any page")

    def test_html_in_text_is_plain_text_in_the_pdf(self):
        cases = [
            ("measure", "title_th", "/reports/oie/2563/summary.pdf"),
            ("progress report", "results", "/reports/oie/2564/progress/1.pdf"),
        ]
        for name, field, pdf in cases:
            endpoint = next(e for e in ENDPOINTS if e.name == name)
            with self.subTest(name, field=field), self.attempt(changes=True):
                form = self.harvest(endpoint)
                client = self.client_for(endpoint.allowed)
                response = client.post(form.action, form.data(**{field: XSS}))
                self.assertEqual(response.status_code, 302)
                ProgressReport.objects.filter(pk=self.report.pk).update(
                    state=ProgressReport.State.APPROVED
                )
                document = self.client_for("manager").get(pdf)
                self.assertEqual(document.status_code, 200)
                self.assertIn('<script>alert("ita")</script>', pdf_text(document.content))

    # --- uploads ---------------------------------------------------------------------------

    def evidence_post(self, upload):
        client = self.client_for("staff")
        page = f"/measures/activity/{self.world.activity.pk}/round/{self.world.round.pk}/"
        form = page_form(client, page, "file")
        return client.post(form.action, {**form.data(), "file": upload}, follow=True)

    def test_it_refuses_a_bad_evidence_file(self):
        cases = {
            "exe-as-pdf": ("program.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),
            "empty": ("empty.pdf", b""),
            "html-as-pdf": ("report.pdf", b"<html><script>alert(1)</script></html>"),
            "html": ("page.html", b"<script>alert(1)</script>"),
            "zip": ("archive.zip", b"PK\x03\x04" + b"\x00" * 100),
        }
        for case, (name, content) in cases.items():
            with self.subTest(case), self.attempt():
                response = self.evidence_post(SimpleUploadedFile(name, content))
                self.assert_refused_with_a_message(response)

    def test_it_refuses_an_oversized_evidence_file(self):
        with self.settings(EVIDENCE_MAX_BYTES=1024), self.attempt():
            response = self.evidence_post(SimpleUploadedFile("big.pdf", PDF_BYTES * 100))
            self.assert_refused_with_a_message(response)

    def test_a_path_in_an_evidence_file_name_goes_nowhere(self):
        with self.attempt(changes=True):
            upload = SimpleUploadedFile("../../../../etc/cron.d/x.pdf", PDF_BYTES)
            self.assertEqual(self.evidence_post(upload).status_code, 200)
            stored = Evidence.objects.exclude(file="").get()
            self.assertTrue(Path(stored.file.path).resolve().is_relative_to(self.media.resolve()))
            self.assertNotIn("..", stored.file.name)

    def import_post(self, upload):
        client = self.client_for("admin")
        form = page_form(client, "/imports/", "file")
        return client.post(form.action, {**form.data(), "file": upload}, follow=True)

    def test_it_refuses_a_bad_score_workbook(self):
        cases = {
            "not-xlsx": ("scores.xlsx", b"not a workbook"),
            "truncated": ("scores.xlsx", score_workbook()[:300]),
            "csv": ("scores.csv", b"agency,score\noie,90\n"),
            "script-as-score": (
                "scores.xlsx",
                score_workbook(question_scores=[[2563, "oie", "I14", "<script>"]]),
            ),
            "out-of-range": (
                "scores.xlsx",
                score_workbook(question_scores=[[2563, "oie", "I14", 101]]),
            ),
        }
        for case, (name, content) in cases.items():
            with self.subTest(case), self.attempt():
                response = self.import_post(SimpleUploadedFile(name, content))
                self.assert_refused_with_a_message(response)
                self.assertNotIn("<script>", response.content.decode())

    def test_it_refuses_an_oversized_score_workbook(self):
        workbook = score_workbook(question_scores=[[2563, "oie", "I14", 70]] * 200)
        with self.settings(IMPORT_MAX_BYTES=1024), self.attempt():
            response = self.import_post(SimpleUploadedFile("scores.xlsx", workbook))
            self.assert_refused_with_a_message(response)

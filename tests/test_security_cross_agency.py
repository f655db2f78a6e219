"""Cross-agency suite: no role of agency A sees or changes agency B's data, on any URL.

Every URL pattern of the project is resolved from the URLconf and filled with agency B's
objects (its code, years, primary keys, a batch's SHA-256...). Each is requested as anonymous
and as A's staff, manager and admin: GET, GET with B's agency and year in the query string,
and POST with the form B's own user (or, in the Django admin, a superuser) would send, its
text changed, and a file where the form takes one. The suite fails when
- a response of 200 holds any of B's identifying strings (HTML, JSON, xlsx, PDF text or a file);
- B's rows (every table with a foreign-key path to B's agency, history included, and B's
  login records) or B's evidence file on disk differ afterwards, or portal-wide reference data
  (instrument versions) was changed by an agency role.
A URL parameter the suite cannot fill fails with a message naming it: add its filler below.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fnmatch import fnmatch
from pathlib import Path
from types import SimpleNamespace

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult

from accounts.models import Agency
from accounts.roles import Role
from assessments.models import (
    AnswerOption,
    AnswerScale,
    ItemAnswer,
    Question,
    QuestionLink,
    QuestionScore,
)
from imports.models import ImportBatch
from jobs.models import Job
from measures.models import Evidence, ProgressReport, ReminderLog
from notifications.models import Notification
from oit import services as oit_services
from oit.models import OitFile, OitItem
from reports.models import DocumentSettings, DocumentText, IssuedDocument, WeaknessApproach
from surveys.models import AccessCode, Draft, Response, SurveyRound, SurveyUnit
from tests.accounts.builders import make_superuser
from tests.assessments.builders import make_oie_2563
from tests.base import BaseTestCase, make_agency, make_unit, make_user
from tests.forms import Form, FormParser
from tests.imports.builders import score_workbook
from tests.measures.builders import PDF_BYTES, PlanWorld, make_report
from tests.media import TemporaryMediaRoot
from tests.writes import recording_writes

SECRET = "ลับเบต้า"  # in every text of B's, so that a page showing any of them is caught
B_PLAN_YEAR = 2565  # A's plan is 2564: /measures/<year>/ then names B's plan only
ROLES = ("anonymous", "staff", "manager", "admin")
APPS = ["accounts", "auth", "assessments", "imports", "measures", "notifications", "axes", "admin"]
APPS += ["reports"]
APPS += ["jobs"]
APPS += ["oit"]
APPS += ["surveys"]
REFERENCE_MODELS = ["assessments.InstrumentVersion", "assessments.Question"]
TEXT_KINDS = {"text", "textarea", "email", "url"}

# --- agency B's world --------------------------------------------------------------------------


def build_b_world() -> SimpleNamespace:
    """Agency B with users, units, an assessment, an unpublished plan, a report and evidence."""
    agency = make_agency(
        "beta",
        name_th=f"กรม{SECRET}",
        name_en="Beta Department",
        abbreviation="บต.",
        ministry="กระทรวงเบต้า",
    )
    unit = make_unit(agency, "บต1.", f"กลุ่ม{SECRET}หนึ่ง")
    other_unit = make_unit(agency, "บต2.", f"กลุ่ม{SECRET}สอง")
    staff = make_user("beta_staff", Role.STAFF, agency, [unit])
    manager = make_user("beta_manager", Role.MANAGER, agency)
    admin_ = make_user("beta_admin", Role.ADMIN, agency, [unit])
    for user, first in [(staff, "เจ้าหน้าที่"), (manager, "ผู้บริหาร"), (admin_, "ผู้ดูแล")]:
        user.first_name, user.email = f"{first}{SECRET}", f"{user.username}@beta.example"
        user.save()
    assessment = make_oie_2563(agency, note=f"หมายเหตุ{SECRET}")
    batch = ImportBatch.objects.create(
        file_name=f"คะแนน{SECRET}.xlsx",
        sha256=hashlib.sha256(b"beta batch").hexdigest(),
        uploaded_by=admin_,
        fiscal_year=2563,
        row_count=1,
    )
    QuestionScore.objects.filter(assessment=assessment, question__code="I14").update(batch=batch)
    ItemAnswer.objects.create(
        assessment=assessment,
        question=Question.objects.filter(version=assessment.version, code="O1").get(),
        present=True,
        evidence_url="https://beta.example/oit",
        note=f"หมายเหตุ{SECRET}",
    )
    people = SimpleNamespace(agency=agency, unit=unit, other_unit=other_unit)
    world = PlanWorld(people, year=B_PLAN_YEAR)
    plan, measure, activity = world.plan, world.measure, world.activity
    plan.title_th, plan.based_on = f"แผน{SECRET}", assessment
    plan.save()
    measure.title_th = f"มาตรการ{SECRET}"
    measure.save()
    activity.title_th = f"กิจกรรม{SECRET}"
    activity.save()
    activity.steps.update(text_th=f"ขั้นตอน{SECRET}")
    report = make_report(
        activity,
        world.round,
        results=f"ผลงาน{SECRET}",
        state=ProgressReport.State.SUBMITTED,
        submitted_by=staff,
    )
    make_report(world.other_activity, world.round, results=f"ร่าง{SECRET}")
    evidence_file = Evidence.objects.create(
        report=report,
        file=SimpleUploadedFile("e.pdf", PDF_BYTES + f"% {SECRET}\n".encode()),
        original_name=f"หลักฐาน{SECRET}.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=staff,
    )
    Evidence.objects.create(
        report=report, url="https://beta.example/secret-evidence", uploaded_by=staff
    )
    ReminderLog.objects.create(
        sent_on=timezone.localdate(), user=staff, activity=activity, round=world.round
    )
    locked = {"user_agent": "ua", "http_accept": "*/*", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(
        username="beta_staff",
        ip_address="10.9.9.9",
        get_data="",
        post_data="",
        failures_since_start=9,
        **locked,
    )
    AccessLog.objects.create(username="beta_staff", ip_address="10.9.9.9", **locked)
    AccessFailureLog.objects.create(username="beta_staff", ip_address="10.9.9.9", **locked)
    notification = Notification.objects.create(
        recipient=staff,
        kind=Notification.Kind.RETURNED,
        params={"activity": f"กิจกรรม{SECRET}"},
        link=f"/measures/report/{report.pk}/",
    )
    # A queued background task (a notification mail for B's staff), as the worker's queue holds it.
    DBTaskResult.objects.create(
        args_kwargs={"args": [f"beta_staff@beta.example {SECRET}"], "kwargs": {}},
        task_path="notifications.tasks.deliver",
        backend_name="default",
        run_after=timezone.now(),
    )
    # The measures document's own rows: a text, an approach, settings and an issued version.
    DocumentText.objects.create(plan=plan, key="foreword", text=f"คำนำ{SECRET}")
    DocumentSettings.objects.create(plan=plan, issuing_unit=f"กลุ่ม{SECRET}")
    WeaknessApproach.objects.create(
        measure=measure,
        question=Question.objects.get(version=assessment.version, code="I14"),
        approach=f"แนวทาง{SECRET}",
        responsible=f"กลุ่ม{SECRET}",
    )
    issued = IssuedDocument(
        plan=plan, kind="measures", format="pdf", sha256="0" * 64, issued_at=timezone.now()
    )
    issued.file.save("b.pdf", ContentFile(PDF_BYTES + f"% {SECRET}\n".encode()), save=False)
    issued.save()
    # A failed background job of B's admin (a retry would queue it again).
    job = Job.objects.create(
        owner=admin_,
        agency=agency,
        kind="import_commit",
        title=f"นำเข้า{SECRET}",
        arguments={"sha256": batch.sha256},
        status=Job.Status.FAILED,
        message=f"ผิดพลาด{SECRET}",
        result_url=f"/imports/batches/{batch.pk}/",
    )
    oit_item, oit_file = build_b_oit(agency, unit, staff, admin_)
    # Reference rows the Django admin lists: an answer scale with an option, a crosswalk link.
    scale = AnswerScale.objects.create(version=assessment.version, code="L4", name_th="ระดับ")
    AnswerOption.objects.create(scale=scale, order=1, label_th="มาก", points=Decimal("100"))
    QuestionLink.objects.create(
        earlier=Question.objects.get(version=assessment.version, code="I14"), kind="dropped"
    )
    survey, survey_unit = build_b_survey(agency, unit, assessment, admin_)
    return SimpleNamespace(
        issued=issued,
        agency=agency,
        unit=unit,
        survey=survey,
        survey_unit=survey_unit,
        staff=staff,
        manager=manager,
        admin=admin_,
        assessment=assessment,
        batch=batch,
        plan=plan,
        round=world.round,
        measure=measure,
        activity=activity,
        report=report,
        evidence=evidence_file,
        notification=notification,
        job=job,
        oit_item=oit_item,
        oit_file=oit_file,
        usernames=["beta_staff", "beta_manager", "beta_admin"],
    )


def build_b_oit(agency, unit, staff, admin_) -> tuple[OitItem, OitFile]:
    """B's OIT round of 2563 with an item answered (a link and a file) and sent for review."""
    round_ = oit_services.round_create(agency=agency, fiscal_year=2563, user=admin_)
    item = round_.items.get(question__code="O1")
    oit_services.item_assign(
        item=item, user=admin_, unit=unit, owners=[staff], due_on=None, requirement=f"ข้อ{SECRET}"
    )
    oit_services.item_answer(
        item=item,
        user=staff,
        status=OitItem.Status.DONE,
        explanation=f"คำอธิบาย{SECRET}",
        urls=["https://beta.example/oit-secret"],
    )
    attachment = oit_services.item_file_add(
        item=item,
        user=staff,
        file=SimpleUploadedFile(f"ไฟล์{SECRET}.pdf", PDF_BYTES + f"% {SECRET}\n".encode()),
    )
    oit_services.item_submit(item=item, user=staff)
    return item, attachment


def build_b_survey(agency, unit, assessment, admin_) -> tuple[SurveyRound, SurveyUnit]:
    """B's IIT round, still in preparation: its public link answers "not open" to everyone.

    The form at /s/<code>/ is a deliberate public page (the link code is the permission); a
    round that is not open shows nothing of B and accepts nothing, which the walk checks.
    """
    survey = SurveyRound.objects.create(
        agency=agency,
        instrument=assessment.version.instruments.get(code="IIT"),
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
        access=SurveyRound.Access.CODES,
        run_by=admin_,
    )
    entry = SurveyUnit.objects.create(
        round=survey, unit=unit, population=40, code="beta-survey-link", responses=1
    )
    AccessCode.objects.create(survey_unit=entry, code="BETACODE")
    Response.objects.create(survey_unit=entry, answers={"I1": f"{SECRET}"})
    Draft.objects.create(survey_unit=entry, token_hash="b" * 64, answers={"I2": SECRET})
    return survey, entry


# --- what "B's data" is: rows reachable from B's agency, cheaply fingerprinted ------------------


def agency_paths(model: type[models.Model], depth: int = 4) -> list[str]:
    """Return the lookups that lead from a model's rows to an Agency by foreign keys."""
    if model is Agency:
        return ["pk"]
    found, frontier = [], [("", model)]
    for _ in range(depth):
        following = []
        for prefix, current in frontier:
            for field in current._meta.concrete_fields:
                if not field.is_relation or not field.many_to_one and not field.one_to_one:
                    continue
                path = f"{prefix}{field.name}"
                if field.related_model is Agency:
                    found.append(path)
                elif field.related_model is not current:
                    following.append((f"{path}__", field.related_model))
        frontier = following
    return found


def tracked_models() -> list[tuple[str, type[models.Model], models.Q]]:
    """Each model holding B's rows, with the condition that picks them."""
    tracked = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model in (AccessAttempt, AccessLog, AccessFailureLog):
                condition = models.Q(username__startswith="beta_")
            else:
                paths = agency_paths(model)
                if not paths:
                    continue
                condition = models.Q()
                for path in paths:
                    condition |= models.Q(**{path: "B"})
            tracked.append((model._meta.label, model, condition))
    return tracked


class Fingerprint:
    """B's rows and file, and the reference data, as a few hashes (one query per table)."""

    def __init__(self, b_agency: Agency, evidence: Evidence) -> None:
        self.tables = [
            (label, model, self._bind(condition, b_agency.pk))
            for label, model, condition in tracked_models()
        ]
        self.reference = [apps.get_model(label) for label in REFERENCE_MODELS]
        self.table_names = {model._meta.db_table for _, model, _ in self.tables} | {
            model._meta.db_table for model in self.reference
        }
        self.file = Path(evidence.file.path)
        self.file_before = self._file_digest()

    @staticmethod
    def _bind(condition: models.Q, pk: int) -> models.Q:
        bound = models.Q(_connector=condition.connector)
        for child in condition.children:
            bound.children.append((child[0], pk) if child[1] == "B" else child)
        return bound

    def b_data(self) -> dict[str, str]:
        prints = {}
        for label, model, condition in self.tables:
            fields = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
            pks = model._base_manager.filter(condition).values("pk")
            rows = model._base_manager.filter(pk__in=pks).order_by("pk").values_list(*fields)
            prints[label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
        prints["evidence file"] = self._file_digest()
        return prints

    def _file_digest(self) -> str:
        content = self.file.read_bytes() if self.file.exists() else b"(missing)"
        return hashlib.sha256(content).hexdigest()

    def file_intact(self) -> bool:
        """Tell, without the database, whether B's evidence file is as it was."""
        return self._file_digest() == self.file_before

    def reference_data(self) -> dict[str, str]:
        prints = {}
        for model in self.reference:
            fields = [f.attname for f in model._meta.concrete_fields]
            rows = model._base_manager.order_by("pk").values_list(*fields)
            prints[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
        return prints


# --- every URL pattern, filled with B's objects ------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern text when it has no name
    parts: tuple  # the patterns from the root to this one


def routes(resolver: URLResolver | None = None, parts: tuple = (), namespace: str = "") -> Iterator:
    """Yield every URL pattern of the project with its full chain of patterns."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from routes(pattern, (*parts, pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            chain = (*parts, pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(name or "".join(str(p) for p in chain), chain)


GROUP = re.compile(r"\((\?P<(?P<name>\w+)>)?")


def regex_parameters(regex: str) -> list[str | int]:
    """Return a regex's groups in order: names, or positions for unnamed ones."""
    found, position = [], 0
    for match in GROUP.finditer(regex):
        if regex[match.start() - 1 : match.start()] == "\\" or regex[match.end() :].startswith("?"):
            continue
        found.append(match["name"] or position)
        position += 1
    return found


def fill_regex(regex: str, values: dict) -> str:
    """Write a regex pattern as a path, each group replaced by its value."""
    out, depth, index, i, keys = [], 0, -1, 0, regex_parameters(regex)
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            if depth == 0:
                out.append(regex[i + 1])
            i += 2
            continue
        if char == "(":
            if depth == 0:
                index += 1
                out.append(str(values[keys[index]]))
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char not in "^$":
            out.append(char)
        i += 1
    return "".join(out)


def route_parameters(route: Route) -> list[str | int]:
    names = []
    for part in route.parts:
        if isinstance(part, RoutePattern):
            names += list(part.converters)
        else:
            names += regex_parameters(part.regex.pattern)
    return names


def build_path(route: Route, values: dict) -> str:
    path = "/"
    for part in route.parts:
        if isinstance(part, RoutePattern):
            text = str(part)
            for name, converter in part.converters.items():
                value = str(converter.to_url(values[name]))
                text = re.sub(rf"<(\w+:)?{name}>", lambda _match, v=value: v, text)
            path += text
        else:
            path += fill_regex(part.regex.pattern, values)
    return path


def admin_model(route: Route) -> type[models.Model] | None:
    """The model an admin URL is about (admin:measures_plan_change, admin/measures/plan/…)."""
    for model in admin.site._registry:
        label, name = model._meta.app_label, model._meta.model_name
        if route.name.startswith((f"admin:{label}_{name}_", f"admin/{label}/{name}/")):
            return model
    return None


class Fillers:
    """Values for each URL parameter, taken from B's world; a list means: try each."""

    # Which of B's objects a `pk` names, by URL name (fnmatch patterns).
    PK_OBJECTS = {
        "accounts:user_*": "admin",
        "accounts:unit_*": "unit",
        "measures:measure_*": "measure",
        "measures:round_*": "round",
        "measures:activity*": "activity",
        "measures:report_*": "report",
        "measures:evidence_add": "report",
        "measures:evidence*": "evidence",
        "notifications:*": "notification",
        "reports:measures_issued": "issued",
        "oit:item*": "oit_item",
        "oit:file_add": "oit_item",
        "oit:file_*": "oit_file",
        "imports:batch": "batch",
        "imports:rollback": "batch",
        "jobs:*": "job",
        "surveys:*": "survey",
    }

    def __init__(self, b: SimpleNamespace, hostile_sha: str) -> None:
        self.b = b
        self.hostile_sha = hostile_sha

    def values(self, route: Route, parameter: str | int) -> list:
        b = self.b
        model = admin_model(route)
        if parameter in ("object_id", 0, "id") and model is not None:
            return [self.admin_object(model).pk]
        if parameter == 1 and model is not None:  # simple-history's record of that object
            return [self.admin_object(model).history.order_by("history_id").last().history_id]
        simple = {
            "agency": lambda: [b.agency.code],
            "year": lambda: [b.assessment.fiscal_year, b.plan.fiscal_year],
            "number": lambda: [b.round.number],
            "measure_pk": lambda: [b.measure.pk],
            "activity_pk": lambda: [b.activity.pk],
            "round_pk": lambda: [b.round.pk],
            "evidence_pk": lambda: [b.evidence.pk],
            "key": lambda: ["foreword", "indicator-3"],
            "kind": lambda: ["twelve-month", "o25"],
            "fmt": lambda: ["pdf", "docx", "csv", "xlsx"],
            "code": lambda: ["I14", b.survey_unit.code],
            "unit_pk": lambda: [b.survey_unit.pk],
            "sha256": lambda: [b.batch.sha256, self.hostile_sha],
            "uidb64": lambda: [urlsafe_base64_encode(force_bytes(b.admin.pk))],
            "id": lambda: [b.admin.pk],
            # A valid token is the reset's credential itself: only invalid ones are A's to try.
            "token": lambda: ["set-password", "cz-0123456789abcdef"],
            "content_type_id": lambda: [ContentType.objects.get_for_model(type(b.plan)).pk],
            "object_id": lambda: [b.plan.pk],
            "app_label": lambda: ["accounts", "measures", "assessments"],
            "url": lambda: ["measures/plan/"],
        }
        if parameter in simple:
            return simple[parameter]()
        if parameter == "pk":
            for pattern, attribute in self.PK_OBJECTS.items():
                if fnmatch(route.name, pattern):
                    return [getattr(b, attribute).pk]
        raise AssertionError(
            f"URL {route.name!r} takes a parameter {parameter!r} that the cross-agency suite "
            "cannot fill: add which of agency B's objects it names to Fillers in "
            "tests/test_security_cross_agency.py."
        )

    def admin_object(self, model: type[models.Model]) -> models.Model:
        """B's row of an admin model, or (reference data) any row; fail when there is none."""
        paths = agency_paths(model)
        rows = model._base_manager.order_by("pk")
        if model in (AccessAttempt, AccessLog, AccessFailureLog):
            rows = rows.filter(username__startswith="beta_")
        elif paths:
            condition = models.Q()
            for path in paths:
                condition |= models.Q(**{path: self.b.agency.pk})
            rows = rows.filter(condition)
        row = rows.first()
        assert row is not None, (
            f"The Django admin shows {model._meta.label}, of which agency B has no row: build "
            "one in build_b_world (tests/test_security_cross_agency.py)."
        )
        return row

    def urls(self, route: Route) -> list[str]:
        parameters = route_parameters(route)
        combos = [{}]
        for parameter in parameters:
            combos = [{**c, parameter: v} for c in combos for v in self.values(route, parameter)]
        urls = []
        for values in combos:
            path = build_path(route, values)
            try:
                resolve(path)
            except Resolver404:
                raise AssertionError(
                    f"{path} (filled for {route.name!r}) does not resolve: its filler does not "
                    "fit the URL's converter."
                ) from None
            urls.append(path)
        return urls


# --- reading a response for B's strings ---------------------------------------------------------


def response_text(response) -> str:
    """Everything a response shows: HTML or JSON text, xlsx cells, PDF text, a file's bytes."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    kind = response.get("Content-Type", "")
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    if content.startswith(b"%PDF") and "pdf" in kind and len(content) > 200:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            result = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True)
        return result.stdout + content.decode("latin-1")
    return content.decode("utf-8", "replace")


@override_settings(AXES_ENABLED=False)
class CrossAgencyTests(TemporaryMediaRoot, BaseTestCase):
    """One world: A (the personas' agency, with its own plan and result) and B."""

    media_prefix = "ita-cross-agency-"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.a_assessment = make_oie_2563(cls.agency)
        cls.a_world = PlanWorld(cls.p)
        make_report(cls.a_world.activity, cls.a_world.round)
        cls.b = build_b_world()
        cls.superuser = make_superuser()
        cls.hostile_workbook = score_workbook(
            question_scores=[[2563, "beta", "I14", 1]],
            official_results=[[2563, "beta", "1.00", "F"]],
        )

    def setUp(self) -> None:
        # Thousands of refusals: Django would log each 403/404/405 with its traceback.
        for name in ("django.request", "django.security"):
            logger = logging.getLogger(name)
            self.addCleanup(logger.setLevel, logger.level)
            logger.setLevel(logging.CRITICAL)
        self.fingerprint = Fingerprint(self.b.agency, self.b.evidence)
        self.fillers = Fillers(self.b, hashlib.sha256(self.hostile_workbook).hexdigest())
        self.harvested: dict[str, Form | None] = {}
        self.clients = {"anonymous": Client()}
        for role in ROLES[1:]:
            self.clients[role] = Client()
            self.clients[role].force_login(getattr(self, role))
        self.owners = [Client(), Client(), Client()]
        for client, owner in zip(
            self.owners, [self.b.admin, self.b.manager, self.b.staff], strict=True
        ):
            client.force_login(owner)
        self.admin_owner = Client()
        self.admin_owner.force_login(self.superuser)

    def harvest(self, url: str) -> Form | None:
        """The form B's own user (a superuser in the Django admin) gets at url, if any."""
        if url not in self.harvested:
            owners = [self.admin_owner] if url.startswith("/admin/") else self.owners
            self.harvested[url] = None
            for owner in owners:
                response = owner.get(url)
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    parser = FormParser()
                    parser.feed(response.content.decode())
                    if parser.forms:
                        self.harvested[url] = parser.forms[-1]
                        break
        return self.harvested[url]

    def post_data(self, route: Route, url: str) -> dict:
        model = admin_model(route)
        if model is not None and route.name.endswith("_changelist"):
            target = self.fillers.admin_object(model).pk
            return {"action": "delete_selected", "_selected_action": [target], "post": "yes"}
        form = self.harvest(url)
        if form is None:
            return {"post": "yes"}
        changes = {
            name: f"{value} ✗" for name, value in form.fields if form.kinds.get(name) in TEXT_KINDS
        }
        data = form.data(**changes)
        for name, kind in form.kinds.items():
            if kind == "file":
                data[name] = self.upload_for(route)
        return data

    def upload_for(self, route: Route) -> SimpleUploadedFile:
        if route.name.startswith("imports:") or "import" in route.name:
            return SimpleUploadedFile("beta.xlsx", self.hostile_workbook)
        return SimpleUploadedFile("cross.pdf", PDF_BYTES, content_type="application/pdf")

    def requests(self, route: Route, url: str) -> Iterator[tuple[str, str, object]]:
        b = self.b
        query = f"?agency={b.agency.code}&year={b.assessment.fiscal_year}&plan={b.plan.pk}"
        # Views without URL parameters may read the agency from the query string instead.
        with_query = not route_parameters(route)
        for role in ROLES:
            client = self.clients[role]
            yield role, f"GET {url}", client.get(url)
            if with_query:
                yield role, f"GET {url}{query}", client.get(url + query)
            yield role, f"POST {url}", client.post(url, self.post_data(route, url))
            if role != "anonymous" and "_auth_user_id" not in client.session:
                client.force_login(getattr(self, role))  # it posted to a logout

    # The walk of every URL, in four parts that parallel test workers share out.
    def test_no_role_of_agency_a_sees_or_changes_agency_bs_data_1_of_4(self):
        self.walk(list(routes())[0::4])

    def test_no_role_of_agency_a_sees_or_changes_agency_bs_data_2_of_4(self):
        self.walk(list(routes())[1::4])

    def test_no_role_of_agency_a_sees_or_changes_agency_bs_data_3_of_4(self):
        self.walk(list(routes())[2::4])

    def test_no_role_of_agency_a_sees_or_changes_agency_bs_data_4_of_4(self):
        self.walk(list(routes())[3::4])

    def walk(self, walked_routes: list[Route]) -> None:
        b_before = self.fingerprint.b_data()
        reference_before = self.fingerprint.reference_data()
        walked = fingerprinted = 0
        watched = self.fingerprint.table_names
        with recording_writes() as writes:
            for route in walked_routes:
                for url in self.fillers.urls(route):
                    self.harvest(url)  # B's own user's visit: not A's doing
                    if writes.wrote_any(watched):
                        b_before = self.fingerprint.b_data()
                    writes.clear()
                    for role, request, response in self.requests(route, url):
                        walked += 1
                        problems = []
                        if response.status_code == 200 and SECRET in response_text(response):
                            problems.append("200 shows B's data")
                        if writes.wrote_any(watched) or not self.fingerprint.file_intact():
                            fingerprinted += 1
                            b_after = self.fingerprint.b_data()
                            changed = sorted(k for k in b_after if b_after[k] != b_before[k])
                            if changed:
                                problems.append(f"changed B's {changed}")
                                b_before = b_after
                            reference_after = self.fingerprint.reference_data()
                            if reference_after != reference_before:
                                problems.append("changed portal-wide reference data")
                                reference_before = reference_after
                        writes.clear()
                        if problems:
                            message = f"{role}: {request} ({route.name}): {'; '.join(problems)}"
                            with self.subTest(route=route.name, role=role, request=request):
                                self.fail(message)
        print(f"\ncross-agency: {walked} requests, {fingerprinted} fingerprints after writes")


# --- the walk's own machinery --------------------------------------------------------------------


def test_it_names_a_url_parameter_it_cannot_fill():
    fillers = Fillers(SimpleNamespace(), hostile_sha="")
    route = Route("widgets:detail", ())
    try:
        fillers.values(route, "widget_pk")
    except AssertionError as error:
        assert "'widget_pk'" in str(error) and "add which of agency B's objects" in str(error)
    else:
        raise AssertionError("an unknown parameter must fail the walk")


def test_it_writes_regex_patterns_as_paths():
    assert fill_regex(r"^([^/]+)/history/([^/]+)/$", {0: 7, 1: 9}) == "7/history/9/"
    assert fill_regex(r"^(?P<app_label>auth|measures)/$", {"app_label": "measures"}) == "measures/"
    assert regex_parameters(r"^(?:x)(?P<a>\d+)\((\w)") == ["a", 1]


def test_it_finds_the_foreign_key_paths_to_an_agency():
    paths = agency_paths(Evidence)
    assert {"report__round__plan__agency", "uploaded_by__agency"} <= set(paths)
    assert agency_paths(Agency) == ["pk"]

"""Audit trail: every model holding ITA data keeps its history, with the user who changed it."""

import io

import pytest
from django.apps import apps
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

from assessments.models import QuestionScore
from imports.services import scores_import
from measures.models import ProgressReport
from tests.accounts.builders import make_superuser
from tests.assessments.builders import make_oie_2563
from tests.imports.builders import score_workbook
from tests.measures.builders import PlanWorld, make_report

AUDITED = {
    "assessments": [
        "InstrumentVersion",
        "Instrument",
        "Indicator",
        "SubIndicator",
        "Question",
        "GradeBand",
        "AnswerScale",
        "AnswerOption",
        "SubItem",
        "OptionLabel",
        "QuestionLink",
        "Assessment",
        "QuestionScore",
        "ItemAnswer",
        "SubIndicatorScore",
        "IndicatorScore",
        "InstrumentScore",
    ],
    "imports": ["ImportBatch"],
    "measures": [
        "Plan",
        "Round",
        "Measure",
        "Activity",
        "Step",
        "SuccessIndicator",
        "ProgressReport",
        "Evidence",
    ],
    "oit": ["OitRound", "OitItem", "OitLink", "OitFile"],
}
# Models of those apps that hold no ITA data: a log of the reminder e-mails sent, uploads
# waiting (a day at most) for their confirmation.
NOT_AUDITED = {"measures.ReminderLog", "imports.PendingImport", "imports.PendingPage"}
# Derived data, computed again from the audited rows after any change (assessments.standings).
NOT_AUDITED |= {"assessments.StoredResult"}
# The admin lists these inline on their parent (instruments and grade bands on a version,
# options on their scale, sub-items and a question's own option labels on the question).
INLINE_ONLY = {
    "assessments.Instrument",
    "assessments.GradeBand",
    "assessments.AnswerOption",
    "assessments.SubItem",
    "assessments.OptionLabel",
    "measures.Round",
    "measures.Step",
    "measures.SuccessIndicator",
}
CASES = [(app, name) for app, names in AUDITED.items() for name in names]


@pytest.mark.parametrize(("app", "name"), CASES, ids=[f"{a}.{n}" for a, n in CASES])
def test_it_keeps_history_of(app, name):
    model = apps.get_model(app, name)
    historical = model.history.model
    assert issubclass(historical, HistoricalChanges)
    assert historical._meta.get_field("history_user").related_model is apps.get_model(
        "accounts", "User"
    )


def test_every_other_model_of_those_apps_is_named_on_purpose():
    """A new model in assessments or measures must be audited or exempted here, knowingly."""
    found = {
        model._meta.label
        for app in AUDITED
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    listed = {f"{app}.{name}" for app, name in CASES}
    assert found - listed == NOT_AUDITED


@pytest.mark.parametrize(("app", "name"), CASES, ids=[f"{a}.{n}" for a, n in CASES])
def test_admins_see_the_history_of_each_object(app, name):
    label = f"{app}.{name}"
    model = apps.get_model(app, name)
    if label in INLINE_ONLY and not admin.site.is_registered(model):
        return  # history is kept (above); the admin edits these rows on their parent's page
    assert isinstance(admin.site._registry[model], SimpleHistoryAdmin)


def test_a_portal_change_records_its_user(client, personas):
    world = PlanWorld(personas)
    report = make_report(world.activity, world.round)
    client.force_login(personas.staff)
    response = client.post(
        f"/measures/activity/{world.activity.pk}/round/{world.round.pk}/",
        {
            "status": "in_progress",
            "percent": "60",
            "results": "ประชุมชี้แจงแล้ว",
            "obstacles": "",
            "next_steps": "",
            "version": str(report.version),
        },
    )
    assert response.status_code == 302
    latest = ProgressReport.objects.get(pk=report.pk).history.first()
    assert latest.history_user == personas.staff
    assert latest.results == "ประชุมชี้แจงแล้ว"
    assert latest.prev_record.results == "เริ่มแล้ว"


def test_the_admin_history_page_names_who_changed_what(client, personas):
    world = PlanWorld(personas)
    report = make_report(world.activity, world.round)
    client.force_login(personas.staff)
    client.post(
        f"/measures/activity/{world.activity.pk}/round/{world.round.pk}/",
        {"status": "delayed", "percent": "10", "results": "", "version": str(report.version)},
    )
    # An agency's reports are open in the Django admin to superusers only (ita_portal.admin).
    client.force_login(make_superuser())
    response = client.get(f"/admin/measures/progressreport/{report.pk}/history/")
    assert response.status_code == 200
    assert personas.staff.username in response.content.decode()


def test_an_import_records_its_user_on_every_row(personas):
    make_oie_2563(personas.agency)
    workbook = score_workbook(question_scores=[[2563, "oie", "I14", 70], [2563, "oie", "I1", 99]])
    report = scores_import(
        file=io.BytesIO(workbook), file_name="scores.xlsx", user=personas.admin, dry_run=False
    )
    assert not report.refused
    changed = QuestionScore.history.filter(
        assessment__agency=personas.agency, question__code__in=["I14", "I1"]
    ).order_by("-history_date")[:2]
    assert [(r.history_user, r.score) for r in sorted(changed, key=lambda r: r.score)] == [
        (personas.admin, 70),
        (personas.admin, 99),
    ]

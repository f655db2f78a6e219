from django.urls import path

from measures.views import building, evidence, plans, reports

app_name = "measures"

urlpatterns = [
    path("", plans.index, name="index"),
    path("new/", building.plan_create, name="plan_create"),
    path("draft-from-assessment/", building.plan_draft, name="plan_draft"),
    path("review-settings/", building.review_settings, name="review_settings"),
    path("<int:year>/", plans.plan_detail, name="plan"),
    path("<int:year>/edit/", building.plan_edit, name="plan_edit"),
    path("<int:year>/dashboard/", plans.dashboard, name="dashboard"),
    path("<int:year>/publish/", building.plan_publish, {"action": "publish"}, name="plan_publish"),
    path(
        "<int:year>/unpublish/",
        building.plan_publish,
        {"action": "unpublish"},
        name="plan_unpublish",
    ),
    path("<int:year>/copy-to-next-year/", building.plan_copy, name="plan_copy"),
    path("<int:year>/delete/", building.plan_delete, name="plan_delete"),
    path("<int:year>/measures/new/", building.measure_edit, name="measure_create"),
    path("<int:year>/measures/<int:pk>/edit/", building.measure_edit, name="measure_edit"),
    path("<int:year>/rounds/new/", building.round_edit, name="round_create"),
    path("<int:year>/rounds/<int:pk>/edit/", building.round_edit, name="round_edit"),
    path(
        "<int:year>/rounds/<int:pk>/lock/",
        building.round_lock,
        {"action": "lock"},
        name="round_lock",
    ),
    path(
        "<int:year>/rounds/<int:pk>/unlock/",
        building.round_lock,
        {"action": "unlock"},
        name="round_unlock",
    ),
    path(
        "measure/<int:measure_pk>/activities/new/", building.activity_edit, name="activity_create"
    ),
    path(
        "measure/<int:measure_pk>/activities/<int:pk>/edit/",
        building.activity_edit,
        name="activity_edit",
    ),
    path("activity/<int:pk>/", reports.activity_detail, name="activity"),
    path("activity/<int:activity_pk>/round/<int:round_pk>/", reports.report_page, name="report"),
    path(
        "report/<int:pk>/approve/",
        reports.report_review,
        {"decision": "approve"},
        name="report_approve",
    ),
    path(
        "report/<int:pk>/return/",
        reports.report_review,
        {"decision": "return"},
        name="report_return",
    ),
    path("report/<int:pk>/evidence/", evidence.evidence_add, name="evidence_add"),
    path(
        "report/<int:pk>/evidence/reuse/<int:evidence_pk>/",
        evidence.evidence_reuse,
        name="evidence_reuse",
    ),
    path("evidence/<int:pk>/", evidence.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete, name="evidence_delete"),
]

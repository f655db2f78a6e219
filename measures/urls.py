from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.plan_create, name="plan_create"),
    path("draft-from-assessment/", views.plan_draft, name="plan_draft"),
    path("<int:year>/", views.plan_detail, name="plan"),
    path("<int:year>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:year>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:year>/publish/", views.plan_publish, {"action": "publish"}, name="plan_publish"),
    path(
        "<int:year>/unpublish/",
        views.plan_publish,
        {"action": "unpublish"},
        name="plan_unpublish",
    ),
    path("<int:year>/copy-to-next-year/", views.plan_copy, name="plan_copy"),
    path("<int:year>/measures/new/", views.measure_edit, name="measure_create"),
    path("<int:year>/measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("<int:year>/rounds/new/", views.round_edit, name="round_create"),
    path("<int:year>/rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path(
        "<int:year>/rounds/<int:pk>/lock/", views.round_lock, {"action": "lock"}, name="round_lock"
    ),
    path(
        "<int:year>/rounds/<int:pk>/unlock/",
        views.round_lock,
        {"action": "unlock"},
        name="round_unlock",
    ),
    path("measure/<int:measure_pk>/activities/new/", views.activity_edit, name="activity_create"),
    path(
        "measure/<int:measure_pk>/activities/<int:pk>/edit/",
        views.activity_edit,
        name="activity_edit",
    ),
    path("activity/<int:pk>/", views.activity_detail, name="activity"),
    path("activity/<int:activity_pk>/round/<int:round_pk>/", views.report_page, name="report"),
    path(
        "report/<int:pk>/approve/",
        views.report_review,
        {"decision": "approve"},
        name="report_approve",
    ),
    path(
        "report/<int:pk>/return/", views.report_review, {"decision": "return"}, name="report_return"
    ),
    path("report/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]

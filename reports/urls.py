from django.urls import path

from reports import document_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:agency>/<int:year>/summary/", views.summary, name="summary"),
    path("<slug:agency>/<int:year>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("<slug:agency>/<int:year>/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("<slug:agency>/<int:year>/progress/<int:number>/", views.progress, name="progress"),
    path(
        "<slug:agency>/<int:year>/progress/<int:number>.pdf",
        views.progress_pdf,
        name="progress_pdf",
    ),
    path(
        "<slug:agency>/<int:year>/progress/<int:number>.xlsx",
        views.progress_xlsx,
        name="progress_xlsx",
    ),
]

# The measures document of a plan year (reports.document_views).
urlpatterns += [
    path("<slug:agency>/<int:year>/measures/", document_views.document, name="measures"),
    path("<slug:agency>/<int:year>/measures.pdf", document_views.measures_pdf, name="measures_pdf"),
    path(
        "<slug:agency>/<int:year>/measures.docx",
        document_views.measures_docx,
        name="measures_docx",
    ),
    path(
        "<slug:agency>/<int:year>/measures/<slug:kind>.<slug:fmt>",
        document_views.report_download,
        name="measures_report",
    ),
    path(
        "<slug:agency>/<int:year>/measures/texts/<slug:key>/",
        document_views.text_edit,
        name="measures_text",
    ),
    path(
        "<slug:agency>/<int:year>/measures/settings/",
        document_views.settings_edit,
        name="measures_settings",
    ),
    path(
        "<slug:agency>/<int:year>/measures/approaches/<int:measure_pk>/<slug:code>/",
        document_views.approach_edit,
        name="measures_approach",
    ),
    path("<slug:agency>/<int:year>/measures/issue/", document_views.issue, name="measures_issue"),
    path(
        "<slug:agency>/<int:year>/measures/issued/<int:pk>/",
        document_views.issued,
        name="measures_issued",
    ),
]

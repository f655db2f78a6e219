from django.urls import path

from reports import views

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

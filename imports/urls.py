from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("preview/<str:sha256>/", views.preview, name="preview"),
    path("confirm/<str:sha256>/", views.confirm, name="confirm"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/rollback/", views.rollback, name="rollback"),
    path("template/", views.template, name="template"),
    path("export/", views.export, name="export"),
    path("format/", views.workbook_format, name="format"),
]

from django.urls import path

from surveys.views import admin

app_name = "surveys"

urlpatterns = [
    path("", admin.index, name="index"),
    path("<int:pk>/", admin.detail, name="detail"),
    path("<int:pk>/status/", admin.status, name="status"),
    path("<int:pk>/dates/", admin.dates, name="dates"),
    path("<int:pk>/units/", admin.unit_set, name="unit_set"),
    path("<int:pk>/units/<int:unit_pk>/remove/", admin.unit_remove, name="unit_remove"),
    path("<int:pk>/units/<int:unit_pk>/poster.pdf", admin.poster, name="poster"),
    path("<int:pk>/units/<int:unit_pk>/qr.svg", admin.qr, name="qr"),
    path("<int:pk>/units/<int:unit_pk>/codes/", admin.codes, name="codes"),
    path("<int:pk>/units/<int:unit_pk>/codes/mail/", admin.codes_mail, name="codes_mail"),
    path("<int:pk>/units/<int:unit_pk>/interview/", admin.interview, name="interview"),
    path("<int:pk>/open/", admin.open_round, name="open"),
    path("<int:pk>/close/", admin.close_round, name="close"),
    path("<int:pk>/answers.<str:fmt>", admin.export_answers, name="export_answers"),
    path("<int:pk>/results.xlsx", admin.export_results, name="export_results"),
]

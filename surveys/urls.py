from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/dates/", views.dates, name="dates"),
    path("<int:pk>/units/", views.unit_set, name="unit_set"),
    path("<int:pk>/units/<int:unit_pk>/remove/", views.unit_remove, name="unit_remove"),
    path("<int:pk>/units/<int:unit_pk>/poster.pdf", views.poster, name="poster"),
    path("<int:pk>/units/<int:unit_pk>/qr.svg", views.qr, name="qr"),
    path("<int:pk>/units/<int:unit_pk>/codes/", views.codes, name="codes"),
    path("<int:pk>/units/<int:unit_pk>/codes/mail/", views.codes_mail, name="codes_mail"),
    path("<int:pk>/units/<int:unit_pk>/interview/", views.interview, name="interview"),
    path("<int:pk>/open/", views.open_round, name="open"),
    path("<int:pk>/close/", views.close_round, name="close"),
    path("<int:pk>/answers.<str:fmt>", views.export_answers, name="export_answers"),
    path("<int:pk>/results.xlsx", views.export_results, name="export_results"),
]

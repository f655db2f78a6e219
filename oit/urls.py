from django.urls import path

from oit import views

app_name = "oit"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.round_create, name="round_create"),
    path("<int:year>/", views.round_detail, name="round"),
    path("<int:year>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:year>/approve/", views.round_approve, name="round_approve"),
    path("<int:year>/check-links/", views.round_check_links, name="round_check_links"),
    path("<int:year>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:year>/portfolio.pdf", views.portfolio_pdf, name="portfolio_pdf"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/assign/", views.item_assign, name="item_assign"),
    path("items/<int:pk>/answer/", views.item_answer, name="item_answer"),
    path("items/<int:pk>/review/", views.item_review, name="item_review"),
    path("items/<int:pk>/files/", views.file_add, name="file_add"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
    path("files/<int:pk>/delete/", views.file_delete, name="file_delete"),
]

from django.urls import path

from assessments import version_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("versions/", version_views.version_list, name="version_list"),
    path("versions/<int:year>/", version_views.version_detail, name="version_detail"),
    path("versions/<int:year>/copy/", version_views.version_copy, name="version_copy"),
    path("versions/<int:year>/edit/", version_views.version_edit, name="version_edit"),
    path("versions/<int:year>/texts/", version_views.version_texts, name="version_texts"),
    path("<slug:agency>/", views.history, name="history"),
    path("<slug:agency>/<int:year>/", views.detail, name="detail"),
    path("<slug:agency>/<int:year>/peers/", views.peers, name="peers"),
    path("<slug:agency>/<int:year>/edit/", views.edit, name="edit"),
    path("<slug:agency>/<int:year>/scores/", views.scores, name="scores"),
    path("<slug:agency>/<int:year>/items/", views.items, name="items"),
]

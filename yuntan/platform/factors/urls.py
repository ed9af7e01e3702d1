"""Pages of the factor database under /factors/."""

from django.urls import path

from yuntan.platform.factors import views

app_name = "factors"

urlpatterns = [
    path("", views.factor_list, name="list"),
    path("new/", views.new_dataset, name="new-dataset"),
    path("import/", views.import_file, name="import"),
    path("export.zip", views.export, name="export"),
    path("<slug:code>/", views.factor_detail, name="detail"),
    path("<slug:code>/new-version/", views.new_version, name="new-version"),
    path("<slug:code>/versions/<str:version>/edit/", views.edit_version, name="edit"),
    path("<slug:code>/versions/<str:version>/review/", views.review, name="review"),
    path("<slug:code>/versions/<str:version>/publish/", views.publish, name="publish"),
]

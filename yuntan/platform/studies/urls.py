from django.urls import path

from yuntan.platform.studies import overview, views

app_name = "studies"

urlpatterns = [
    path("overview/", overview.overview, name="overview"),
    path("products/", views.product_list, name="products"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("studies/<int:pk>/", views.study_detail, name="study"),
    path("studies/<int:pk>/data/", views.data_entry, name="data"),
    path("studies/<int:pk>/data/check/", views.data_check, name="data-check"),
    path("studies/<int:pk>/links/<str:field_id>/", views.input_link, name="link"),
    path("studies/<int:pk>/template.xlsx", views.template_download, name="template"),
    path("studies/<int:pk>/upload/", views.template_upload, name="upload"),
    path("studies/<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("studies/<int:pk>/compute/", views.compute, name="compute"),
    path("studies/<int:pk>/scenario/", views.scenario, name="scenario"),
    path("studies/<int:pk>/results/<int:number>/", views.result_detail, name="result"),
    path("studies/<int:pk>/results/<int:number>/recheck/", views.result_recheck,
         name="recheck"),
    path("studies/<int:pk>/results/<int:number>/report.<str:fmt>", views.result_report,
         name="report"),
    path("studies/<int:pk>/results/<int:number>/uncertainty/", views.result_uncertainty,
         name="uncertainty"),
]

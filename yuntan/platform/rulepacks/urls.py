from django.urls import path

from yuntan.platform.rulepacks import views

app_name = "rulepacks"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("<slug:pack_id>/<str:version>/", views.pack_detail, name="detail"),
    path("<slug:pack_id>/<str:version>/template.xlsx", views.template_download,
         name="template"),
    path("<slug:pack_id>/<str:version>/check/", views.template_check, name="check"),
    path("<slug:pack_id>/<str:version>/form/", views.collection_form, name="form"),
]

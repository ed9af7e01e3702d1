from django.urls import path

from yuntan.platform.labels import views

app_name = "labels"

urlpatterns = [
    path("keys.json", views.keys, name="keys"),
    path("issue/<int:pk>/", views.issue, name="issue"),
    path("<str:number>/", views.public, name="public"),
    path("<str:number>/label.json", views.document_file, name="document"),
    path("<str:number>/label.<str:fmt>", views.image, name="image"),
    path("<str:number>/status/", views.change_status, name="status"),
    path("<str:number>/surveillance/", views.surveillance, name="surveillance"),
]

from django.urls import path

from yuntan.platform.checkdata import views

app_name = "checkdata"

urlpatterns = [
    path("studies/<int:pk>/cross-check-data/", views.page, name="page"),
    path("studies/<int:pk>/cross-check-data/act/", views.act, name="act"),
]

from django.urls import path

from yuntan.platform.lci import views

app_name = "lci"

urlpatterns = [
    path("", views.database_list, name="list"),
    path("<int:pk>/", views.database_detail, name="database"),
    path("<int:pk>/processes/<str:uuid>/", views.process_detail, name="process"),
    path("<int:pk>/processes/<str:uuid>/factor/", views.derive_factor, name="derive"),
]

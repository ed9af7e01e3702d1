from django.urls import path

from yuntan.platform.front import views

app_name = "front"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
]

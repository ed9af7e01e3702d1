from django.urls import path

from yuntan.platform.accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisation/", views.my_organisation, name="my-organisation"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/invite/", views.invite, name="invite"),
    path("join/<str:token>/", views.join, name="join"),
]

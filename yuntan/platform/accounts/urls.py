from django.urls import path

from yuntan.platform.accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisation/", views.my_organisation, name="my-organisation"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/invite/", views.invite, name="invite"),
    # The invitation token travels in the link's #fragment and then in the POST body, never
    # in a path or query (access logs, Referer headers).
    path("join/", views.join, name="join"),
]

from django.urls import path, re_path

from yuntan.platform.exchange import host, views

app_name = "exchange"

# The PACT host paths are fixed by the spec: /auth/token, /.well-known/openid-configuration,
# /2/… (v2.3) and /3/… (v3.0).
host_patterns = [
    path("auth/token", host.token, name="token"),
    path(".well-known/openid-configuration", host.openid_configuration, name="openid"),
    path(".well-known/jwks.json", host.jwks, name="jwks"),
    re_path(r"^(?P<version>[23])/footprints$", host.list_footprints, name="list"),
    re_path(r"^(?P<version>[23])/footprints/(?P<pf_id>[^/]+)$", host.get_footprint,
            name="get"),
    re_path(r"^(?P<version>[23])/events$", host.events, name="events"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("share/<int:pk>/", views.share_study, name="share"),
    path("footprints/<uuid:pk>/", views.footprint_detail, name="footprint"),
    path("footprints/<uuid:pk>/<str:version>.json", views.footprint_file, name="footprint-file"),
    path("customers/", views.customers, name="customers"),
    path("customers/<int:pk>/", views.customer_detail, name="customer"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("suppliers/", views.supplier_list, name="suppliers"),
    path("extensions/<str:name>", views.extension_schema, name="extension"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier"),
]

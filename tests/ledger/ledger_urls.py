"""The platform's URLs with the ledger's pages under /ledger/ (the tests' URL conf, so these
tests do not depend on the ledger's line in yuntan/platform/urls.py)."""

from django.urls import include, path

from yuntan.platform.urls import urlpatterns as platform_urlpatterns

urlpatterns = [
    *(p for p in platform_urlpatterns if str(getattr(p, "pattern", "")) != "ledger/"),
    path("ledger/", include("yuntan.platform.ledger.urls")),
]

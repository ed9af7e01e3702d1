"""Top-level URLs: pages, the factor database, the JSON API under /api/, sign-in, admin and
the language switch."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from yuntan.platform.api import api

admin.site.site_header = _("Yuntan administration")
admin.site.site_title = _("Yuntan administration")

urlpatterns = [
    path("", include("yuntan.platform.front.urls")),
    path("factors/", include("yuntan.platform.factors.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("yuntan.platform.accounts.urls")),
    path("jobs/", include("yuntan.platform.jobs.urls")),
    path("lci/", include("yuntan.platform.lci.urls")),
    path("rules/", include("yuntan.platform.rulepacks.urls")),
    path("", include("yuntan.platform.studies.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

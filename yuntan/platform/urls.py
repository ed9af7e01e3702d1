"""Top-level URLs: pages, the factor database, the JSON API under /api/, sign-in, admin and
the language switch."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from yuntan.platform.api import api
from yuntan.platform.exchange.urls import host_patterns

admin.site.site_header = _("Yuntan administration")
admin.site.site_title = _("Yuntan administration")

urlpatterns = [
    path("", include("yuntan.platform.front.urls")),
    path("factors/", include("yuntan.platform.factors.urls")),
    # Sign-in, sign-out and password change; no e-mailed password reset (an isolated
    # intranet has no mail): an administrator sets a new password.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/", include("yuntan.platform.accounts.urls")),
    path("jobs/", include("yuntan.platform.jobs.urls")),
    path("lci/", include("yuntan.platform.lci.urls")),
    path("ledger/", include("yuntan.platform.ledger.urls")),
    path("verification/", include("yuntan.platform.verification.urls")),
    path("labels/", include("yuntan.platform.labels.urls")),
    path("rules/", include("yuntan.platform.rulepacks.urls")),
    path("", include("yuntan.platform.checkdata.urls")),
    path("", include("yuntan.platform.studies.urls")),
    path("exchange/", include("yuntan.platform.exchange.urls")),
    path("", include((host_patterns, "pact"))),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Errors: JSON on the API paths, pages elsewhere, each with the request id (front.errors).
handler400 = "yuntan.platform.front.errors.bad_request"
handler403 = "yuntan.platform.front.errors.permission_denied"
handler404 = "yuntan.platform.front.errors.page_not_found"
handler500 = "yuntan.platform.front.errors.server_error"

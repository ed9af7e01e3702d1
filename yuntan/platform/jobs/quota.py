"""How many background jobs an organisation's people may have queued or running at once
(``YUNTAN_JOBS_MAX_PER_ORGANISATION``): one more is refused with a clear page (HTTP 429)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from yuntan.platform.jobs.models import Job, JobStatus


class JobQuotaExceeded(Exception):
    """The organisation already has as many jobs queued or running as it may."""


def check_job_quota(user: Any) -> None:
    """Refuse a new job of ``user`` when their organisation is at its quota (people outside
    any organisation and jobs started by the platform itself are not counted)."""
    membership = getattr(user, "membership", None) if getattr(
        user, "is_authenticated", False) else None
    if membership is None:
        return
    limit = settings.YUNTAN_JOBS_MAX_PER_ORGANISATION
    active = Job.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
                                created_by__membership__organisation_id=
                                membership.organisation_id).count()
    if active >= limit:
        raise JobQuotaExceeded(
            _("Your organisation already has %(n)s background jobs queued or running, the "
              "most it may; start this one when one of them has finished.") % {"n": active})


class QuotaMiddleware:
    """Answer :class:`JobQuotaExceeded` from any view with a page saying so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest,
                          exception: Exception) -> HttpResponse | None:
        if isinstance(exception, JobQuotaExceeded):
            return render(request, "jobs/quota.html", {"message": str(exception)},
                          status=429)
        return None

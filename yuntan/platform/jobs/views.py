"""Pages of background jobs: the caller's jobs, and one job with live progress."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuntan.platform.accounts.access import visible
from yuntan.platform.jobs.api import visible_job
from yuntan.platform.jobs.models import Job

JOBS_SHOWN = 50


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = visible(Job, request.user)
    return render(request, "jobs/list.html", {"jobs": jobs[:JOBS_SHOWN]})


@login_required
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": visible_job(request, job_id)})

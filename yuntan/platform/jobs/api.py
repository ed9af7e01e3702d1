"""JSON API of background jobs: the status, progress and outcome of one job."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from yuntan.platform.accounts.access import get_or_404
from yuntan.platform.jobs.models import Job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: uuid.UUID
    title: str
    status: str
    finished: bool
    done: int
    total: int
    percent: int | None
    message: str
    result: Any
    error: str
    problems: list[dict[str, Any]]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def visible_job(request: HttpRequest, job_id: uuid.UUID) -> Job:
    """The job, if the requesting user may see it; 404 otherwise (its existence is private)."""
    return get_or_404(Job, request.user, pk=job_id)


@router.get("/jobs/{job_id}", response=JobOut, summary="One background job")
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> Job:
    """Status, progress (done of total), result or problems of a job started by the caller."""
    return visible_job(request, job_id)

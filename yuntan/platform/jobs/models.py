"""A background job: what runs, for whom, how far it got, and how it ended."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(models.Model):
    """One run of a job function. ``function`` is the dotted path of a function marked with
    ``@job_function``; ``params`` and ``result`` are JSON. ``problems`` lists what a failed
    job found wrong, each a mapping with at least ``message`` (and, for imports, the record
    and field), so a page can show every problem of a bad file at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    function = models.CharField(_("job"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    backend = models.CharField(_("backend"), max_length=16)
    # The process that runs (or, on the thread backend, will run) the job, as
    # "host:pid:start time"; empty while a Dask job waits for a worker. A job whose process
    # is gone was interrupted (yuntan.platform.jobs.recovery).
    runner = models.CharField(_("runner process"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.title} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        """Progress in whole percent, or None while the total is unknown."""
        if self.total <= 0:
            return None
        return min(100, round(100 * self.done / self.total))

"""Jobs interrupted by a crash, found when the platform starts (``wsgi.py``, ``asgi.py``,
``yuntan manage recover_jobs``).

A job is interrupted when it is queued or running and the process named in its ``runner``
(on this host) is gone. What it had written in an unfinished transaction was rolled back by
the database; what it had stored outside is undone by its function's ``cleanup``. Then:

- a queued job (never started) is started again;
- a running job of a ``resumable`` function is queued and started again (it picks up what is
  left, e.g. the studies still pinned to a superseded factor);
- any other running job is marked failed with a message saying so.

Jobs of processes on other hosts (Dask workers) are left to those hosts. Several processes
starting at once (gunicorn workers) are safe: each change is a conditional update, so one
process wins.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from yuntan.platform.jobs.models import Job, JobStatus
from yuntan.platform.jobs.processes import process_alive, process_token
from yuntan.platform.jobs.runner import clean_up, is_resumable, resolve, start

log = logging.getLogger(__name__)

INTERRUPTED = ("已中断：运行此任务的进程已停止（服务器重启或崩溃），未完成的数据库事务已回滚，"
               "上传的文件已清理。请重新提交。 / Interrupted: the process running this job "
               "stopped (server restart or crash); its unfinished database transaction was "
               "rolled back and its uploaded files removed. Submit it again.")
STALE_UPLOAD_SECONDS = 3600  # a temporary upload file older than this was abandoned
UPLOAD_FOLDERS = ("lci", "uploads", "evidence")


@dataclass
class Recovery:
    restarted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)


def recover_interrupted_jobs(backend: str | None = None) -> Recovery:
    """Find the jobs of dead processes on this host and restart or fail them."""
    backend = backend or settings.YUNTAN_JOBS_BACKEND
    me = process_token()
    report = Recovery()
    unfinished = Job.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING)) \
        .exclude(runner="").exclude(runner=me)
    for job in unfinished:
        if process_alive(job.runner) is not False:
            continue
        try:
            resumable = is_resumable(resolve(job.function))
        except ValueError:
            resumable = False
        again = backend != "inline" and (job.status == JobStatus.QUEUED or resumable)
        if again:
            taken = Job.objects.filter(pk=job.pk, status=job.status, runner=job.runner).update(
                status=JobStatus.QUEUED, runner="" if backend == "dask" else me,
                started_at=None, done=0, message="")
            if taken:
                log.warning("job %s (%s) was interrupted; started again", job.pk, job.function)
                report.restarted.append(str(job.pk))
                start(job.pk, backend)
            continue
        taken = Job.objects.filter(pk=job.pk, status=job.status, runner=job.runner).update(
            status=JobStatus.FAILED, error=INTERRUPTED, finished_at=timezone.now())
        if taken:
            log.warning("job %s (%s) was interrupted; marked failed", job.pk, job.function)
            report.failed.append(str(job.pk))
            clean_up(job)
    report.removed_files = remove_stale_uploads()
    return report


def remove_stale_uploads(max_age: float = STALE_UPLOAD_SECONDS) -> list[str]:
    """Temporary files of uploads cut off by a crash (``.upload-*``, see storage.py)."""
    removed: list[str] = []
    limit = time.time() - max_age
    for name in UPLOAD_FOLDERS:
        for path in (Path(settings.DATA_DIR) / name).glob(".upload-*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed.append(str(path))
            except FileNotFoundError:
                continue
    return removed


def recover_on_start() -> None:
    """At start-up: recover, and never stop the start (a database not migrated yet, …)."""
    try:
        report = recover_interrupted_jobs()
    except Exception:  # the platform must start; the log says what went wrong
        log.exception("interrupted jobs could not be recovered")
        return
    if report.restarted or report.failed or report.removed_files:
        log.warning("interrupted jobs: %d started again, %d failed; %d stale upload files "
                    "removed", len(report.restarted), len(report.failed),
                    len(report.removed_files))

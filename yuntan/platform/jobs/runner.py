"""Submit and run background jobs on the configured backend.

A job function takes a :class:`JobContext` and keyword parameters (JSON values) and returns
a JSON-serialisable result::

    @job_function
    def import_table(ctx: JobContext, path: str) -> dict[str, int]:
        ctx.progress(0, 10, "reading")
        ...

Backends (``YUNTAN_JOBS_BACKEND``): ``thread`` runs jobs on a small pool of worker threads
in the web process; ``inline`` runs them at once in the caller (scripts, management
commands); ``dask`` sends them to the Dask distributed scheduler at
``YUNTAN_DASK_SCHEDULER``, whose workers import this package with the same settings and
database. Whatever the backend, :func:`execute` does the run and writes status, progress,
result and problems to the job's row.

An exception carrying ``problems`` (a list of objects with ``as_dict()`` or mappings) fails
the job with each problem kept, so a page can list every problem of a bad file. Any other
:class:`yuntan.errors.YuntanLcaError` fails it with its message; anything else fails it with
a generic message (the traceback goes to the log, not to the user).

``@job_function(cleanup=f)`` names what to undo outside the database when the job fails
(``f(**params)``, e.g. delete its uploaded file); ``@job_function(resumable=True)`` says the
job can simply run again after a crash (it picks up what is left). Jobs whose process died
are found when the platform starts (:mod:`yuntan.platform.jobs.recovery`).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar, overload

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from yuntan.errors import YuntanLcaError
from yuntan.platform.jobs.models import Job, JobStatus
from yuntan.platform.jobs.processes import process_token
from yuntan.platform.jobs.quota import check_job_quota

log = logging.getLogger(__name__)

BACKENDS = ("thread", "inline", "dask")
MESSAGE_LENGTH = 500

F = TypeVar("F", bound=Callable[..., Any])


Cleanup = Callable[..., None]


@overload
def job_function(func: F) -> F: ...


@overload
def job_function(func: None = None, *, resumable: bool = False,
                 cleanup: Cleanup | None = None) -> Callable[[F], F]: ...


def job_function(func: F | None = None, *, resumable: bool = False,
                 cleanup: Cleanup | None = None) -> F | Callable[[F], F]:
    """Mark ``func`` as runnable as a job (only marked functions can be named by a job);
    used bare (``@job_function``) or with options (``@job_function(resumable=True)``)."""
    def mark(target: F) -> F:
        target._yuntan_job = True  # type: ignore[attr-defined]
        target._yuntan_job_resumable = resumable  # type: ignore[attr-defined]
        target._yuntan_job_cleanup = cleanup  # type: ignore[attr-defined]
        return target
    return mark if func is None else mark(func)


def is_resumable(func: Callable[..., Any]) -> bool:
    return bool(getattr(func, "_yuntan_job_resumable", False))


def clean_up(job: Job) -> None:
    """Run the cleanup of a failed job's function (never raises: a leftover is logged)."""
    try:
        cleanup = getattr(resolve(job.function), "_yuntan_job_cleanup", None)
        if cleanup is not None:
            cleanup(**job.params)
    except Exception:  # the job has failed already; a leftover file is only logged
        log.exception("cleanup of job %s (%s) failed", job.pk, job.function)


ProgressListener = Callable[[Job], None]
_listeners: list[ProgressListener] = []


def add_progress_listener(listener: ProgressListener) -> Callable[[], None]:
    """Call ``listener(job)`` on every progress report in this process (e.g. a progress bar
    on the command line); returns the function that removes it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


class JobContext:
    """What a running job function can do: report progress."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """Record how far the job got; ``total`` stays as it was when None."""
        fields: dict[str, Any] = {"done": max(0, int(done)), "message": message[:MESSAGE_LENGTH]}
        if total is not None:
            fields["total"] = max(0, int(total))
        Job.objects.filter(pk=self.job.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.job, name, value)
        for listener in list(_listeners):
            listener(self.job)


class ProgressCallback(Protocol):
    def __call__(self, done: int, total: int, message: str) -> None: ...


def resolve(path: str) -> Callable[..., Any]:
    """The job function at dotted ``path``; refuses anything not marked ``@job_function``."""
    module_name, _, name = path.rpartition(".")
    try:
        func = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError, ValueError):
        raise ValueError(f"{path!r} is not a job function") from None
    if not getattr(func, "_yuntan_job", False):
        raise ValueError(f"{path!r} is not marked @job_function")
    return func  # type: ignore[no-any-return]


def _path_of(func: Callable[..., Any]) -> str:
    path = f"{func.__module__}.{func.__qualname__}"
    resolve(path)  # fails now, in the caller, rather than later in a worker
    return path


def submit(func: Callable[..., Any], title: str, params: Mapping[str, Any] | None = None,
           user: Any = None) -> Job:
    """Store a job for ``func(ctx, **params)`` and start it on the configured backend.

    With the thread and dask backends the job starts once the current transaction commits,
    so it sees everything the caller stored.
    """
    backend = settings.YUNTAN_JOBS_BACKEND
    check_job_quota(user)
    job = Job.objects.create(
        function=_path_of(func), title=title[:300], params=dict(params or {}),
        backend=backend, runner="" if backend == "dask" else process_token(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if backend == "inline":
        execute(job.pk)
        job.refresh_from_db()
    elif backend == "thread":
        from django.db import transaction

        transaction.on_commit(functools.partial(_thread_pool().submit, _run_in_thread, job.pk))
    elif backend == "dask":
        from django.db import transaction

        transaction.on_commit(functools.partial(_submit_to_dask, job.pk))
    else:  # settings validated this; a guard for tests that override settings wrongly
        raise ValueError(f"unknown jobs backend {backend!r}; use one of {BACKENDS}")
    return job


def execute(job_id: Any) -> None:
    """Run the job ``job_id`` here and now, recording how it ends. Never raises for the job's
    own failure (that is recorded on the row)."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), runner=process_token())
    if not claimed:  # already run, or running elsewhere: never twice
        log.warning("job %s is not queued; not run again", job_id)
        return
    job = Job.objects.get(pk=job_id)
    fields: dict[str, Any]
    try:
        func = resolve(job.function)
        result = func(JobContext(job), **job.params)
        json.dumps(result)  # a result that cannot be stored is the job's failure too
    except Exception as exc:  # a job's failure is data, recorded below
        fields = _failure(job, exc)
    else:
        fields = {"status": JobStatus.SUCCEEDED, "result": result}
        if job.total:
            fields["done"] = job.total
    fields["finished_at"] = timezone.now()
    Job.objects.filter(pk=job.pk).update(**fields)
    if fields["status"] == JobStatus.FAILED:
        clean_up(job)


def start(job_id: Any, backend: str) -> None:
    """Hand a stored, queued job to ``backend`` now (recovery; ``submit`` defers to commit)."""
    if backend == "thread":
        _thread_pool().submit(_run_in_thread, job_id)
    elif backend == "dask":
        _submit_to_dask(job_id)
    else:
        execute(job_id)


def _failure(job: Job, exc: Exception) -> dict[str, Any]:
    problems = getattr(exc, "problems", None)
    if isinstance(problems, (list, tuple)) and isinstance(exc, YuntanLcaError | ValueError):
        listed = [p.as_dict() if hasattr(p, "as_dict") else _as_mapping(p) for p in problems]
        return {"status": JobStatus.FAILED, "error": str(exc)[:10_000], "problems": listed}
    if isinstance(exc, YuntanLcaError):
        return {"status": JobStatus.FAILED, "error": str(exc)[:10_000], "problems": []}
    log.exception("job %s (%s) failed", job.pk, job.function)
    return {"status": JobStatus.FAILED, "problems": [],
            "error": f"内部错误，已记录在服务器日志中 / internal error, logged on the server "
                     f"({type(exc).__name__})"}


def _as_mapping(problem: Any) -> dict[str, Any]:
    """A problem as JSON: a mapping as it is; a dataclass by its fields plus ``record`` and
    ``where`` when it has them; anything else by its text."""
    if dataclasses.is_dataclass(problem) and not isinstance(problem, type):
        fields = dataclasses.asdict(problem)
        for extra in ("record", "where", "location"):
            value = getattr(problem, extra, None)
            if isinstance(value, str):
                fields[extra] = value
        problem = fields
    if isinstance(problem, Mapping):
        return {str(k): v if isinstance(v, (int, float, str, bool)) or v is None else str(v)
                for k, v in problem.items()}
    return {"message": str(problem)}


# --- the thread backend -------------------------------------------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=settings.YUNTAN_JOB_WORKERS,
                                       thread_name_prefix="yuntan-job")
        return _pool


def _run_in_thread(job_id: Any) -> None:
    close_old_connections()
    try:
        execute(job_id)
    except Exception:  # the row could not even be read or written; nothing else to do
        log.exception("job %s could not be run", job_id)
    finally:
        connection.close()


def wait_for_threads() -> None:
    """Wait until every job handed to the thread pool has finished (tests, shutdown)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True)


# --- the Dask backend ---------------------------------------------------------------------

_client: Any = None


def _dask_client() -> Any:
    global _client
    if _client is None:
        try:
            from distributed import Client
        except ImportError:
            raise RuntimeError(
                "YUNTAN_JOBS_BACKEND=dask needs the distributed package: "
                "pip install 'yuntan[dask]'"
            ) from None
        _client = Client(  # type: ignore[no-untyped-call]
            settings.YUNTAN_DASK_SCHEDULER, set_as_default=False)
    return _client


def _submit_to_dask(job_id: Any) -> None:
    from distributed import fire_and_forget

    future = _dask_client().submit(run_on_dask_worker, str(job_id), pure=False,
                                   key=f"yuntan-job-{job_id}")
    fire_and_forget(future)  # type: ignore[no-untyped-call]


def run_on_dask_worker(job_id: str) -> None:
    """Entry point on a Dask worker: set Django up once per worker process, then run."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuntan.platform.settings")
    django.setup()
    _run_in_thread(job_id)

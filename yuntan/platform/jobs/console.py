"""Run a job from the command line with a progress bar (the same job the web runs)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

from yuntan.platform.jobs.models import Job, JobStatus
from yuntan.platform.jobs.runner import add_progress_listener, execute

WIDTH = 30


def render_bar(job: Job) -> str:
    """``[#########---------]  45%  90/200  message`` (no percentage while the total is 0)."""
    if job.total:
        filled = round(WIDTH * min(job.done, job.total) / job.total)
        bar = "#" * filled + "-" * (WIDTH - filled)
        return f"[{bar}] {job.percent:3d}%  {job.done}/{job.total}  {job.message}"
    return f"[{'.' * WIDTH}]  {job.message}"


def run_with_progress(func: Callable[..., Any], title: str, params: Mapping[str, Any],
                      out: Any = None) -> Job:
    """Run ``func`` as a job here and now, drawing its progress on ``out`` (stderr)."""
    stream = getattr(out, "_out", out) or sys.stderr  # a command's wrapper adds newlines
    job = Job.objects.create(function=f"{func.__module__}.{func.__qualname__}", title=title,
                             params=dict(params), backend="inline")

    def draw(current: Job) -> None:
        stream.write("\r" + render_bar(current)[:120].ljust(120))
        stream.flush()

    remove = add_progress_listener(draw)
    try:
        execute(job.pk)
    finally:
        remove()
        stream.write("\n")
    job.refresh_from_db()
    return job


def failure_text(job: Job) -> str:
    """The job's error and every problem, one per line."""
    lines = [job.error]
    for problem in job.problems:
        where = problem.get("where") or problem.get("record") or problem.get("location") or ""
        field = problem.get("field", "")
        lines.append(f"  - {where} {field}: {problem.get('message', '')}".rstrip())
    return "\n".join(lines)


def succeeded(job: Job) -> bool:
    return job.status == JobStatus.SUCCEEDED

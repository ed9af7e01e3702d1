"""Job functions the job tests run (importable by dotted path, as a worker needs)."""

from __future__ import annotations

from typing import Any

from yuntan.errors import YuntanLcaError
from yuntan.platform.factors.models import FactorDataset
from yuntan.platform.jobs.runner import JobContext, job_function


class BadFile(YuntanLcaError):
    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems in the file")


@job_function
def count_to(ctx: JobContext, n: int) -> dict[str, int]:
    for i in range(n):
        ctx.progress(i, n, f"step {i}")
    return {"counted": n}


@job_function
def create_dataset(ctx: JobContext, code: str) -> dict[str, str]:
    FactorDataset.objects.create(code=code, name_zh="任务创建", name_en="Made by a job",
                                 category="energy", unit="kWh")
    return {"code": code}


@job_function
def fail_with_problems(ctx: JobContext) -> None:
    raise BadFile([{"record": "row 3", "field": "unit", "message": "unknown unit 'kwh2'"},
                   {"record": "row 9", "field": "value", "message": "not a number: 'abc'"}])


@job_function
def fail_with_core_error(ctx: JobContext) -> None:
    raise YuntanLcaError("the technosphere matrix is singular")


@job_function
def crash(ctx: JobContext) -> None:
    raise KeyError("secret internal detail")


def not_marked(ctx: JobContext) -> None:
    """Not a job function: jobs must refuse to run it."""


@job_function
def crash_in_transaction(ctx: JobContext, code: str) -> None:
    """Stores a dataset inside a transaction, then the process dies (kill -9) before the
    commit: the platform's recovery must find the job and the dataset must not exist."""
    import os
    import signal

    from django.db import transaction

    with transaction.atomic():
        FactorDataset.objects.create(code=code, name_zh="未完成", name_en="Half done",
                                     category="energy", unit="kWh")
        os.kill(os.getpid(), signal.SIGKILL)


@job_function(resumable=True)
def create_dataset_again(ctx: JobContext, code: str) -> dict[str, str]:
    """Like create_dataset, and safe to run again after a crash."""
    FactorDataset.objects.get_or_create(code=code, defaults={
        "name_zh": "任务创建", "name_en": "Made by a job", "category": "energy", "unit": "kWh"})
    return {"code": code}

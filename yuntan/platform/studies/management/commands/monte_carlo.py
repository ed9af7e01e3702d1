"""Run a Monte Carlo analysis of a study's result from the command line, with a progress
bar (the same background job the result page starts)."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuntan.platform.jobs.console import failure_text, run_with_progress, succeeded
from yuntan.platform.studies.models import Result
from yuntan.platform.studies.uncertainty import max_iterations, run_uncertainty


class Command(BaseCommand):
    help = "蒙特卡罗不确定性分析（显示进度）/ Monte Carlo analysis of a result (progress bar)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("study", type=int, help="study id")
        parser.add_argument("--result", type=int, default=None,
                            help="result number (default: the latest)")
        parser.add_argument("--iterations", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        results = Result.objects.filter(study_id=options["study"]).order_by("-number")
        if options["result"] is not None:
            results = results.filter(number=options["result"])
        result = results.first()
        if result is None:
            raise CommandError("没有该结果 / no such result")
        if not 10 <= options["iterations"] <= max_iterations():
            raise CommandError(f"iterations: 10 to {max_iterations()}")
        seed = options["seed"] if options["seed"] is not None else secrets.randbelow(2**31)
        job = run_with_progress(run_uncertainty, f"Monte Carlo {result}", {
            "result_id": result.pk, "iterations": options["iterations"], "seed": seed},
            self.stderr)
        if not succeeded(job):
            raise CommandError(failure_text(job))
        self.stdout.write(f"{(job.result or {}).get('summary', '')} (seed {seed})")

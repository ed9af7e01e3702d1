"""Monte Carlo on a stored result, as a background job with progress: the result's own
inputs are sampled (nothing is read from the live study), in chunks with seeds derived from
the run's seed, so the same seed and iterations give the same samples."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from yuntan.accounting import StudyInputs, uncertainty
from yuntan.platform.jobs.runner import JobContext, job_function
from yuntan.platform.studies.models import Result, UncertaintyRun
from yuntan.rules import ElectricityMethod, get_pack

CHUNK = 250
PERCENTILES = (2.5, 5.0, 50.0, 95.0, 97.5)


def chunk_seed(seed: int, chunk: int) -> int:
    return seed * 1_000_003 + chunk


def max_iterations() -> int:
    """The most Monte Carlo iterations one run may take (``YUNTAN_MONTE_CARLO_MAX_ITERATIONS``)."""
    return int(settings.YUNTAN_MONTE_CARLO_MAX_ITERATIONS)


# Resumable: a run after a crash picks up what is left.
@job_function(resumable=True)
def run_uncertainty(ctx: JobContext, result_id: int, iterations: int, seed: int,
                    user_id: int | None = None) -> dict[str, Any]:
    if not 10 <= iterations <= max_iterations():  # checked by the callers too
        raise ValueError(_("Choose between 10 and %(max)s iterations.")
                         % {"max": max_iterations()})
    result = Result.objects.select_related("study").get(pk=result_id)
    inputs = StudyInputs.from_dict(result.inputs)
    pack = get_pack(inputs.pack_id, inputs.pack_version)
    method = ElectricityMethod(result.headline_method)
    samples: list[float] = []
    sampled = 0
    chunks = -(-iterations // CHUNK)
    ctx.progress(0, iterations, _("sampling"))
    for k in range(chunks):
        size = min(CHUNK, iterations - k * CHUNK)
        run = uncertainty(pack, inputs, iterations=size, seed=chunk_seed(seed, k),
                          method=method)
        samples.extend(run.samples)
        sampled = run.activities_sampled
        ctx.progress(len(samples), iterations, _("sampling"))
    values = np.asarray(samples)
    stored = UncertaintyRun.objects.create(
        result=result, iterations=iterations, seed=seed, electricity_method=method.value,
        mean=float(values.mean()), std=float(values.std(ddof=1)) if values.size > 1 else 0.0,
        percentiles={str(p): float(np.percentile(values, p)) for p in PERCENTILES},
        samples=[float(v) for v in values], sampled_activities=sampled,
        created_by_id=user_id,
    )
    return {
        "run": stored.pk,
        "summary": _("Mean %(mean).4g kg CO2e, 95%% interval %(low).4g – %(high).4g.")
        % {"mean": stored.mean, "low": stored.percentiles["2.5"],
           "high": stored.percentiles["97.5"]},
        "url": reverse("studies:result", args=[result.study_id, result.number]),
    }

"""Monte Carlo on a stored result: a background job whose runs repeat with the same seed,
and whose spread comes from the factors that state an uncertainty."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from studies_data import ALUMINIUM
from world_fixtures import World

from yuntan.platform.factors.models import FactorVersion
from yuntan.platform.jobs.models import JobStatus
from yuntan.platform.jobs.runner import submit
from yuntan.platform.studies.models import UncertaintyRun
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.studies.uncertainty import run_uncertainty

GRID = "electricity-grid-average-CN-YN"


@pytest.fixture
def result(study: Any, world: World, settings: Any) -> Any:
    settings.YUNTAN_JOBS_BACKEND = "inline"
    # A test spread on the grid factor (the shipped one states none).
    FactorVersion.objects.filter(dataset__code=GRID, version="2022").update(uncertainty_gsd=1.2)
    # ... and no other spread (shipped defaults carry pedigree scores), so only the grid varies.
    FactorVersion.objects.exclude(dataset__code=GRID).update(
        uncertainty_gsd=None, pedigree_reliability=None, pedigree_completeness=None,
        pedigree_temporal=None, pedigree_geographical=None, pedigree_technological=None)
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    return compute_result(study, world.users["admin_a"], "compute")


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_samples(result: Any) -> None:
    first = submit(run_uncertainty, "mc", {"result_id": result.pk, "iterations": 300,
                                          "seed": 7})
    second = submit(run_uncertainty, "mc", {"result_id": result.pk, "iterations": 300,
                                           "seed": 7})
    assert first.status == second.status == JobStatus.SUCCEEDED, first.error
    one, two = UncertaintyRun.objects.order_by("pk")
    assert one.samples == two.samples and len(one.samples) == 300
    assert (first.done, first.total) == (300, 300)


@pytest.mark.django_db
def test_the_spread_comes_from_the_factor_uncertainty(result: Any) -> None:
    submit(run_uncertainty, "mc", {"result_id": result.pk, "iterations": 2000, "seed": 1})
    run = UncertaintyRun.objects.get()
    samples = np.asarray(run.samples)
    grid = 13_500 * 0.1073  # kg CO2e per t from the grid, lognormal with GSD 1.2
    rest = result.total_kg_co2e - grid
    # Only the grid term varies: its median is the deterministic value.
    assert np.median(samples - rest) == pytest.approx(grid, rel=0.03)
    assert np.std(np.log(samples - rest)) == pytest.approx(np.log(1.2), rel=0.1)
    assert run.percentiles["2.5"] < result.total_kg_co2e < run.percentiles["97.5"]


@pytest.mark.django_db
def test_the_page_starts_a_run_and_shows_the_distribution(result: Any, world: World) -> None:
    client = Client()
    client.force_login(world.users["member_a"])
    url = reverse("studies:uncertainty", args=[result.study_id, result.number])
    response = client.post(url, {"iterations": "200"}, follow=True)
    assert response.redirect_chain[0][0].startswith("/jobs/")
    page = client.get(reverse("studies:result", args=[result.study_id, result.number]))
    assert 'id="monte-carlo-title"' in page.content.decode()
    assert client.post(url, {"iterations": "5"}).status_code == 302
    assert UncertaintyRun.objects.count() == 1  # 5 iterations refused
    for who in ("admin_b", "verifier"):
        other = Client()
        other.force_login(world.users[who])
        assert other.post(url, {"iterations": "200"}).status_code == 404


@pytest.mark.django_db
def test_the_command_line_shows_the_progress(result: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    err, out = StringIO(), StringIO()
    call_command("monte_carlo", str(result.study_id), "--iterations", "300", "--seed", "3",
                 stdout=out, stderr=err)
    assert "100%" in err.getvalue() and "300/300" in err.getvalue()
    assert "(seed 3)" in out.getvalue()
    assert UncertaintyRun.objects.get().seed == 3

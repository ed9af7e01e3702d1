"""Quotas: Monte Carlo iterations and queued jobs per organisation are bounded by settings
with a clear message; the PACT inbox is rate-limited per client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from world_fixtures import World

from tests.exchange.exchange_fixtures import Shared, call, shared, token_of
from tests.studies.studies_data import ALUMINIUM
from yuntan.pact import request_created_event
from yuntan.platform.exchange.models import FootprintRequest
from yuntan.platform.jobs.models import Job, JobStatus
from yuntan.platform.jobs.quota import JobQuotaExceeded
from yuntan.platform.jobs.runner import submit
from yuntan.platform.studies.models import Study
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.studies.uncertainty import run_uncertainty

__all__ = ["shared"]
CE = "application/cloudevents+json"


@pytest.fixture
def computed(study: Study, world: World, settings: Any) -> Study:
    settings.YUNTAN_JOBS_BACKEND = "inline"
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    return study


def _uncertainty(client: Client, study: Study, iterations: str) -> Any:
    return client.post(reverse("studies:uncertainty", args=[study.pk, 1]),
                       {"iterations": iterations}, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize("iterations", ["101", "9" * 5000, "-5", "1e9"])
def test_monte_carlo_iterations_over_the_setting_are_refused(computed: Study, world: World,
                                                             settings: Any,
                                                             iterations: str) -> None:
    settings.YUNTAN_MONTE_CARLO_MAX_ITERATIONS = 100
    client = Client()
    client.force_login(world.users["admin_a"])
    response = _uncertainty(client, computed, iterations)
    assert response.status_code == 200
    assert "100" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_job_itself_refuses_more_iterations(computed: Study, settings: Any) -> None:
    settings.YUNTAN_MONTE_CARLO_MAX_ITERATIONS = 100
    job = submit(run_uncertainty, "Monte Carlo", {
        "result_id": computed.results.get().pk, "iterations": 1_000_000, "seed": 1})
    assert job.status == JobStatus.FAILED


def _queued(world: World, role: str, n: int) -> None:
    for _ in range(n):
        Job.objects.create(function="tests.jobs.sample_jobs.count_to", title="queued",
                           params={}, backend="thread", created_by=world.users[role])


@pytest.mark.django_db
def test_an_organisation_at_its_job_quota_gets_a_clear_refusal(computed: Study, world: World,
                                                               settings: Any) -> None:
    settings.YUNTAN_JOBS_MAX_PER_ORGANISATION = 3
    _queued(world, "admin_a", 3)
    with pytest.raises(JobQuotaExceeded):
        submit(run_uncertainty, "Monte Carlo", {"result_id": 1, "iterations": 10, "seed": 1},
               user=world.users["admin_a"])
    client = Client()
    client.force_login(world.users["admin_a"])
    response = client.post(reverse("studies:uncertainty", args=[computed.pk, 1]),
                           {"iterations": "100"})
    assert response.status_code == 429
    assert "3" in response.content.decode()
    assert Job.objects.count() == 3
    # Another organisation is not held up by enterprise A's jobs.
    other = submit(run_uncertainty, "x", {"result_id": 1, "iterations": 10, "seed": 1},
                   user=world.users["admin_b"])
    assert other.pk is not None


def _event(version: str, product_ids: list[str], n: int) -> str:
    criteria = {"productId": product_ids} if version == "3" else {"productIds": product_ids}
    return json.dumps(request_created_event(version, criteria, source="//buyer.example/pact",
                                            comment=f"#{n}"))


@pytest.mark.django_db
def test_the_pact_inbox_is_rate_limited_per_client(shared: Shared, world: World,
                                                   settings: Any) -> None:
    settings.YUNTAN_PACT_EVENTS_PER_MINUTE = 3
    token = token_of(shared.customer, shared.secret)
    product = shared.footprint.document_v3["productIds"]
    answers = [call("post", "/3/events", token, data=_event("3", product, n),
                    content_type=CE).status_code for n in range(5)]
    assert answers[:3] == [200, 200, 200] and answers[3:] == [429, 429]
    refused = call("post", "/3/events", token, data=_event("3", product, 9),
                   content_type=CE)
    assert refused.json()["code"] == "TooManyRequests" and refused["Retry-After"]
    assert FootprintRequest.objects.count() <= 3

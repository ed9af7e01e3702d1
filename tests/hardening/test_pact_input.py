"""The PACT host and the supplier side refuse hostile numbers and bodies with a clear 400,
and a received footprint is checked like one typed in."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from world_fixtures import World

from tests.exchange.exchange_fixtures import Shared, call, shared, token_of
from yuntan.platform.exchange.models import FootprintRequest, ReceivedFootprint
from yuntan.platform.studies.models import Study, SupplierFootprint

__all__ = ["shared"]
CE = "application/cloudevents+json"


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    "offset=" + "9" * 30, "offset=99999999999999999999", "limit=" + "9" * 5000,
    "offset=1_0", "offset=-1", "offset=%201", "limit=1e3", "offset=١٢"])
def test_paging_parameters_out_of_range_get_400(shared: Shared, query: str) -> None:
    token = token_of(shared.customer, shared.secret)
    response = call("get", f"/3/footprints?{query}", token)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "BadRequest"
    assert "integer from" in response.json()["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    "[" * 50_000 + "]" * 50_000,
    '{"specversion": "1.0", "id": "x", "source": "//a", "type": "t", "time": NaN}',
    '{"specversion": "1.0", "id": ' + "1" * 5000 + "}",
])
def test_hostile_event_bodies_get_400(shared: Shared, body: str) -> None:
    token = token_of(shared.customer, shared.secret)
    response = call("post", "/3/events", token, data=body, content_type=CE)
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest"
    assert not FootprintRequest.objects.exists()


def _example() -> dict[str, Any]:
    text = resources.files("yuntan.data.pact.v3").joinpath("example-1.json").read_text("utf-8")
    return dict(json.loads(text))


def _import(client: Client, document: Any) -> Any:
    return client.post(reverse("exchange:suppliers"), {"action": "import", "file":
                       SimpleUploadedFile("pcf.json", json.dumps(document).encode())})


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["-2.099", "250000", "1e300"])
def test_a_received_footprint_is_checked_like_one_typed_in(world: World, value: str) -> None:
    client = Client()
    client.force_login(world.users["admin_a"])
    document = _example()
    document["pcf"] = {**document["pcf"], "pcfExcludingBiogenicUptake": value}
    response = _import(client, document)
    assert response.status_code == 400, response.status_code
    assert "Not a usable PACT ProductFootprint" in response.content.decode() or \
        "PACT" in response.content.decode()
    assert not ReceivedFootprint.objects.exists()
    assert not SupplierFootprint.objects.exists()


@pytest.mark.django_db
def test_a_pact_file_nested_too_deeply_is_refused(world: World) -> None:
    client = Client()
    client.force_login(world.users["admin_a"])
    response = client.post(reverse("exchange:suppliers"), {"action": "import", "file":
                           SimpleUploadedFile("deep.json", b"[" * 100_000 + b"]" * 100_000)})
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_bad_unit_stored_earlier_does_not_break_the_pages(study: Study, world: World) -> None:
    SupplierFootprint.objects.create(
        organisation=world.orgs["enterprise_a"], supplier="S", product="P",
        unit="kWh**(9**9**9)", kg_co2e_per_unit=1.0, gwp_set="AR6", reference_year=2022,
        created_by=world.users["admin_a"])
    client = Client()
    client.force_login(world.users["admin_a"])
    for url in (reverse("studies:link", args=[study.pk, "alumina"]),
                reverse("studies:link", args=[study.pk, "electricity_grid"]),
                reverse("exchange:suppliers"), reverse("studies:study", args=[study.pk])):
        assert client.get(url).status_code == 200, url

"""The meter API answers hostile bodies with 400 and a message, never 500 (and never
stalls on a unit expression)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.checkdata.models import MeterReading
from yuntan.platform.checkdata.services import create_feed
from yuntan.platform.studies.models import Study
from yuntan.platform.studies.services import set_activity

URL = "/api/meter-readings"


@pytest.fixture
def token(study: Study, world: World) -> str:
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    return create_feed(study.product, "electricity_grid", "EMS", world.users["admin_a"])[1]


def reading(**changes: Any) -> dict[str, Any]:
    return {"meter_id": "EMS-1", "timestamp": "2022-02-01T00:00:00+08:00", "value": 1000,
            "unit": "kWh", "kind": "interval", **changes}


def post(token: str, body: str | bytes) -> Any:
    return Client().post(URL, body, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")


BODIES = {
    "NaN": '{"readings": [{"meter_id": "M", "timestamp": "2022-02-01", "value": NaN, '
           '"unit": "kWh"}]}',
    "Infinity": '{"readings": [{"meter_id": "M", "timestamp": "2022-02-01", '
                '"value": -Infinity, "unit": "kWh"}]}',
    "1e999": '{"readings": [{"meter_id": "M", "timestamp": "2022-02-01", "value": 1e999, '
             '"unit": "kWh"}]}',
    "a 400-digit integer": '{"readings": [{"meter_id": "M", "timestamp": "2022-02-01", '
                           f'"value": {"9" * 400}, "unit": "kWh"}}]}}',
    "deep nesting": '{"readings": ' + "[" * 50_000 + "]" * 50_000 + "}",
    "a huge value": json.dumps({"readings": [reading(value=1e300)]}),
    "an exponent bomb unit": json.dumps({"readings": [reading(unit="kWh**(9**9**9)")]}),
    "a long unit": json.dumps({"readings": [reading(unit="kWh*" * 10_000 + "kWh")]}),
    "a unit of another kind": json.dumps({"readings": [reading(unit="kg")]}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BODIES)
def test_a_hostile_body_is_refused_with_a_message(token: str, case: str) -> None:
    response = post(token, BODIES[case])
    assert response.status_code == 400, response.content[:300]
    assert response.json()["detail"]
    assert not MeterReading.objects.exists()


@pytest.mark.django_db
def test_a_plain_reading_is_still_stored(token: str) -> None:
    response = post(token, json.dumps({"readings": [reading()]}))
    assert response.status_code == 201, response.content

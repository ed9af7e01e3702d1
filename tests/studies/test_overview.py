"""The government's overview: counts in its jurisdiction, averages only where no single
enterprise can be read from them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from studies_data import ALUMINIUM
from world_fixtures import World

from yuntan.platform.studies.models import Study, StudyStatus
from yuntan.platform.studies.services import compute_result, set_activity


def _page(user: Any) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(reverse("studies:overview"))


@pytest.mark.django_db
def test_the_province_sees_counts_but_no_single_enterprise(world: World, study: Study) -> None:
    set_activity(study, ALUMINIUM, None, "form")
    compute_result(study, None, "compute")
    Study.objects.filter(pk=study.pk).update(status=StudyStatus.VERIFIED)
    response = _page(world.users["province_viewer"])
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert (row["enterprises"], row["studies"], row["computed"], row["verified"]) == (1, 1, 1, 1)
    assert row["average"] is None  # one enterprise: no average
    page = response.content.decode()
    assert "昆明市" in page
    assert f"{study.latest_result().total_kg_co2e:.4g}" not in page


@pytest.mark.django_db
def test_a_prefecture_sees_only_its_enterprises(world: World, study: Study) -> None:
    assert _page(world.users["puer_viewer"]).context["rows"] == []  # A is in Kunming


@pytest.mark.django_db
@pytest.mark.parametrize("who, status", [
    ("province_viewer", 200), ("platform_admin", 200), ("admin_a", 403), ("verifier", 403),
    ("curator", 403),
])
def test_who_sees_the_overview(world: World, who: str, status: int) -> None:
    assert _page(world.users[who]).status_code == status

"""A result computed before its study's data changed says so wherever it shows: the study
page, the result page and its report; a fresh result does not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from studies_data import ALUMINIUM
from world_fixtures import World

from yuntan.platform.studies.services import compute_result, is_stale, set_activity


@pytest.mark.django_db
def test_a_result_older_than_the_data_is_marked_stale(study: Any, world: World) -> None:
    admin = world.users["admin_a"]
    set_activity(study, ALUMINIUM, admin, "form")
    first = compute_result(study, admin, "compute")
    client = Client()
    client.force_login(admin)
    result_url = reverse("studies:result", args=[study.pk, first.number])
    assert 'id="stale-result"' not in client.get(result_url).content.decode()

    set_activity(study, {"alumina": (1930, "t")}, admin, "form")
    assert is_stale(first)
    assert 'class="badge placeholder stale"' in client.get(
        reverse("studies:study", args=[study.pk])).content.decode()
    assert 'id="stale-result"' in client.get(result_url).content.decode()
    report = client.get(reverse("studies:report", args=[study.pk, first.number, "html"]))
    assert "结果已过时" in report.content.decode()

    second = compute_result(study, admin, "compute")
    assert not is_stale(second)
    assert 'id="stale-result"' not in client.get(
        reverse("studies:result", args=[study.pk, second.number])).content.decode()

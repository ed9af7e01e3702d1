"""The admin leaves history alone: only drafts are editable, curation fields never by hand."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root"))
    return client


def _version(status: str) -> FactorVersion:
    dataset, _ = FactorDataset.objects.get_or_create(
        code="grid", defaults={"name_zh": "电网", "name_en": "Grid", "category": "energy",
                               "unit": "kWh"})
    version = FactorVersion.objects.create(dataset=dataset, version=status, region="CN-YN",
                                           method="grid_average_location_based")
    FactorValue.objects.create(version=version, gas="CO2", origin="fossil",
                               amount_kg_per_unit=0.1)
    version.status = status
    version.save()
    return version


def test_a_published_version_opens_read_only_and_cannot_be_saved_or_deleted(
    admin_client: Client,
) -> None:
    published = _version(Status.PUBLISHED)
    url = f"/admin/factors/factorversion/{published.pk}/change/"

    page = admin_client.get(url)
    posted = admin_client.post(url, {"note": "edited", "region": "CN"})
    deleted = admin_client.post(f"/admin/factors/factorversion/{published.pk}/delete/",
                                {"post": "yes"})

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403 and deleted.status_code == 403
    published.refresh_from_db()
    assert published.note == "" and published.region == "CN-YN"
    assert published.values.count() == 1


def test_a_draft_is_editable_but_not_its_status(admin_client: Client) -> None:
    draft = _version(Status.DRAFT)

    body = admin_client.get(f"/admin/factors/factorversion/{draft.pk}/change/").content.decode()

    assert 'name="_save"' in body
    assert 'name="note"' in body
    assert 'name="status"' not in body and 'name="reviewer"' not in body

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


def test_the_admin_edits_uncertainty_and_pedigree_all_five_or_none(admin_client: Client) -> None:
    draft = _version(Status.DRAFT)
    url = f"/admin/factors/factorversion/{draft.pk}/change/"
    form = {"dataset": draft.dataset_id, "version": draft.version, "region": "CN-YN",
            "method": draft.method, "source_quality": "unverified",
            "values-TOTAL_FORMS": "0", "values-INITIAL_FORMS": "0",
            "uncertainty_gsd": "1.3", "pedigree_reliability": "2"}

    body = admin_client.get(url).content.decode()
    partial = admin_client.post(url, form)
    low = admin_client.post(url, {**form, "uncertainty_gsd": "0.5", "pedigree_reliability": ""})
    draft.refresh_from_db()
    unchanged = (draft.uncertainty_gsd, draft.pedigree_reliability)
    complete = admin_client.post(url, {**form, "pedigree_completeness": "1",
                                       "pedigree_temporal": "1", "pedigree_geographical": "3",
                                       "pedigree_technological": "2"})

    assert 'name="uncertainty_gsd"' in body and 'name="pedigree_technological"' in body
    assert partial.status_code == 200 and "全部五项谱系评分" in partial.content.decode()
    assert low.status_code == 200 and "1.0" in low.content.decode()
    assert unchanged == (None, None)
    assert complete.status_code == 302
    draft.refresh_from_db()
    assert draft.uncertainty_gsd == 1.3 and draft.pedigree == [
        ("可靠性", 2), ("完整性", 1), ("时间相关性", 1), ("地理相关性", 3), ("技术相关性", 2)]

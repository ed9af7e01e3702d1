"""A published (or deprecated) factor version and its values never change outside the
four-eyes path: the model refuses it, the admin shows them read-only, and a raw SQL change
is named by `yuntan ledger verify`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status

pytestmark = pytest.mark.django_db

GRID = "electricity-grid-average-CN-YN"


def _published() -> FactorVersion:
    return FactorVersion.objects.get(dataset__code=GRID, version="2022")


def test_a_published_version_cannot_be_set_back_to_draft(factors: None) -> None:
    version = _published()
    version.status = Status.DRAFT
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.save(update_fields=["status"])
    assert _published().status == Status.PUBLISHED


def test_a_deprecated_version_never_changes(factors: None) -> None:
    version = _published()
    version.status = Status.DEPRECATED
    version.save(update_fields=["status"])  # what publish_version does to the old version
    version.note = "edited"
    with pytest.raises(ValidationError):
        version.save()


@pytest.mark.parametrize("change", ["save", "delete", "queryset_update", "queryset_delete"])
def test_the_values_of_a_published_version_never_change(factors: None, change: str) -> None:
    value = FactorValue.objects.filter(version=_published()).first()
    assert value is not None
    with pytest.raises(ValidationError):
        if change == "save":
            value.amount_kg_per_unit = 0.01
            value.save()
        elif change == "delete":
            value.delete()
        elif change == "queryset_update":
            FactorValue.objects.filter(pk=value.pk).update(amount_kg_per_unit=0.01)
        else:
            FactorValue.objects.filter(version=_published()).delete()
    value.refresh_from_db()
    assert value.amount_kg_per_unit != 0.01


def test_a_published_version_is_never_deleted(factors: None) -> None:
    with pytest.raises(ValidationError):
        _published().delete()


def test_a_draft_is_not_published_without_another_curators_review(db: None) -> None:
    curator = User.objects.create_user("curator-a")
    dataset = FactorDataset.objects.create(code="grid-x", name_zh="电网", name_en="Grid",
                                           category="energy", unit="kWh")
    draft = FactorVersion.objects.create(dataset=dataset, version="1", region="CN-YN",
                                         method="grid_average_location_based",
                                         created_by=curator)
    draft.status = Status.PUBLISHED
    with pytest.raises(ValidationError):
        draft.save()


def test_the_admin_cannot_change_a_published_versions_values(factors: None) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("root"))
    version = _published()
    page = client.get(f"/admin/factors/factorversion/{version.pk}/change/").content.decode()
    assert 'name="_save"' not in page and 'name="values-0-amount_kg_per_unit"' not in page

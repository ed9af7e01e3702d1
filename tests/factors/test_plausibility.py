"""Factor review checks plausibility: no negative or non-physical value passes draft,
review or publication; a value more than ×3 away from the previous version needs the
curator's stated reason; the reviewer sees the diff with the previous version."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from world_fixtures import World

from yuntan.platform.accounts.models import Membership
from yuntan.platform.factors.actions import (
    ChangeNeedsReason,
    FactorValueInput,
    ImplausibleValues,
    create_draft_version,
    publish_version,
    review_version,
)
from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status

GRID = "electricity-grid-average-CN-YN"


def _reviewer(world: World) -> User:
    second = User.objects.create_user("curator2")
    Membership.objects.create(user=second, organisation=world.orgs["province"],
                              role="factor_curator")
    return second


def _draft(world: World, amount: float, reason: str = "", origin: str = "fossil",
           code: str = GRID) -> FactorVersion:
    dataset = FactorDataset.objects.get(code=code)
    old = FactorVersion.objects.get(dataset=dataset, version="2022")
    return create_draft_version(
        dataset, created_by=world.users["curator"],
        fields={"version": "2022-rev1", "region": old.region, "reference_year": 2022,
                "method": old.method, "supersedes": old, "source_publisher": "test",
                "source_document": "a test correction, not a real figure",
                "change_reason": reason},
        values=[FactorValueInput("CO2", origin, amount)])


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [-0.1073, float("nan"), 2.0])
def test_an_impossible_value_is_refused_at_draft(world: World, factors: None,
                                                 amount: float) -> None:
    with pytest.raises(ImplausibleValues):
        _draft(world, amount, reason="stated")  # 2.0 kg CO2/kWh: beyond any power plant
    assert not FactorVersion.objects.filter(version="2022-rev1").exists()


@pytest.mark.django_db
def test_a_negative_value_slipped_into_a_draft_is_refused_at_review_and_publication(
        world: World, factors: None) -> None:
    draft = _draft(world, 0.1)
    # e.g. loaded from a file, or edited in the database: review refuses it.
    FactorValue.objects.filter(version=draft).update(amount_kg_per_unit=-0.1)
    with pytest.raises(ImplausibleValues):
        review_version(draft, reviewer=_reviewer(world))
    FactorVersion.objects.filter(pk=draft.pk).update(status=Status.REVIEWED)
    draft.refresh_from_db()
    with pytest.raises(ImplausibleValues):
        publish_version(draft, publisher=world.users["curator"])
    draft.refresh_from_db()
    assert draft.status == Status.REVIEWED


@pytest.mark.django_db
def test_a_change_of_more_than_three_times_needs_a_reason(world: World, factors: None) -> None:
    with pytest.raises(ChangeNeedsReason, match=r"0\.1073"):
        _draft(world, 0.5)  # 0.1073 → 0.5: ×4.7
    draft = _draft(world, 0.5, reason="新方法：含进口电力 / new method: imports included")
    review_version(draft, reviewer=_reviewer(world))
    assert publish_version(draft, publisher=world.users["curator"]).status == Status.PUBLISHED


@pytest.mark.django_db
def test_the_reviewer_sees_the_diff_with_the_previous_version(world: World,
                                                              factors: None) -> None:
    _draft(world, 0.5, reason="新方法 / new method")
    reviewer = _reviewer(world)
    reviewer.user_permissions.add(Permission.objects.get(codename="change_factorversion"))
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/factors/{GRID}/").content.decode()
    assert 'class="values review-diff"' in page and "0.1073" in page and "0.5" in page
    assert 'class="large-change"' in page and "新方法 / new method" in page

"""The hooks: changing activity data, linking an input, storing a result and publishing a
factor version each append one ledger entry in the same transaction; a refused change
appends none."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.accounts.models import Membership
from yuntan.platform.factors.actions import (
    FactorValueInput,
    create_draft_version,
    publish_version,
    review_version,
)
from yuntan.platform.factors.models import FactorDataset, FactorVersion
from yuntan.platform.ledger.actions import verify_ledger
from yuntan.platform.ledger.models import LedgerEntry
from yuntan.platform.studies.services import StudyError, compute_result, set_activity, set_link

GRID = "electricity-grid-average-CN-YN"


def kinds() -> list[str]:
    return list(LedgerEntry.objects.order_by("sequence").values_list("kind", flat=True))


@pytest.mark.django_db
def test_activity_changes_and_results_are_chained(study: Any, world: World) -> None:
    admin = world.users["admin_a"]
    set_activity(study, {"alumina": (1920, "t")}, admin, "form")
    set_activity(study, {"alumina": (1_930_000, "kg")}, admin, "excel")
    first, second = LedgerEntry.objects.filter(kind="activity.changed").order_by("sequence")
    assert (first.kind, first.subject) == ("activity.changed", f"studies.study:{study.pk}")
    assert first.payload == {"study": study.pk, "field": "alumina", "old": None,
                             "new": [1920.0, "t"], "source": "form", "detail": ""}
    assert second.payload["old"] == [1920.0, "t"] and second.actor == admin
    set_activity(study, ALUMINIUM, admin, "form")
    result = compute_result(study, admin, "compute")
    last = LedgerEntry.objects.order_by("-sequence").first()
    assert last is not None and last.kind == "result.created"
    assert last.payload["number"] == result.number
    assert last.payload["inputs_sha256"] == result.inputs_sha256
    assert verify_ledger().ok


@pytest.mark.django_db
def test_a_refused_change_appends_nothing(study: Any, world: World) -> None:
    with pytest.raises(StudyError):
        set_activity(study, {"alumina": (1, "t"), "no_such_field": (1, "t")},
                     world.users["admin_a"], "form")
    assert not LedgerEntry.objects.filter(kind="activity.changed").exists()


@pytest.mark.django_db
def test_relinking_an_input_is_chained(study: Any, world: World) -> None:
    national = FactorDataset.objects.get(code="electricity-grid-average-CN")
    set_link(study, "electricity_grid", national, world.users["admin_a"])
    set_link(study, "electricity_grid", None, world.users["admin_a"])
    relinked = [e.payload for e in LedgerEntry.objects.filter(kind="activity.changed")
                .order_by("sequence")]
    assert [(p["source"], p["old"], p["new"]) for p in relinked] == [
        ("link", GRID, national.code), ("link", national.code, GRID)]
    assert verify_ledger().ok


@pytest.mark.django_db
def test_publishing_a_factor_version_is_chained(world: World, factors: None) -> None:
    old = FactorVersion.objects.get(dataset__code=GRID, version="2022")
    draft = create_draft_version(
        FactorDataset.objects.get(code=GRID), created_by=world.users["curator"],
        fields={"version": "2022-rev1", "region": old.region, "reference_year": 2022,
                "method": old.method, "supersedes": old, "source_publisher": "test",
                "source_document": "a test correction, not a real figure"},
        values=[FactorValueInput("CO2", "fossil", 0.2)])
    reviewer = User.objects.create_user("curator2")
    Membership.objects.create(user=reviewer, organisation=world.orgs["province"],
                              role="factor_curator")
    review_version(draft, reviewer=reviewer)
    before = LedgerEntry.objects.count()
    publish_version(draft, publisher=reviewer)
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert LedgerEntry.objects.count() == before + 1 and entry is not None
    assert (entry.kind, entry.actor) == ("factor.published", reviewer)
    assert entry.payload == {"dataset": GRID, "version": "2022-rev1", "region": old.region,
                             "reference_year": 2022, "gwp_set": draft.gwp_set,
                             "supersedes": "2022",
                             "values": [{"gas": "CO2", "origin": "fossil", "kg_per_unit": 0.2}]}
    assert verify_ledger().ok

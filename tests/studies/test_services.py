"""Study services: activity data with its history, pinned factor versions, immutable results
that recompute identically, scenarios."""

from __future__ import annotations

from typing import Any

import pytest
from studies_data import ALUMINIUM
from world_fixtures import World

from yuntan.platform.factors.models import FactorVersion, Status
from yuntan.platform.studies.models import ActivityChange, Result, StudyStatus
from yuntan.platform.studies.services import (
    StudyError,
    compute_result,
    copy_as_scenario,
    recheck,
    set_activity,
)


@pytest.mark.django_db
def test_every_change_of_activity_data_is_recorded(study: Any, world: World) -> None:
    admin = world.users["admin_a"]
    assert set_activity(study, {"alumina": (1920, "t")}, admin, "form") == 1
    assert set_activity(study, {"alumina": (1920, "t")}, admin, "form") == 0  # no change
    assert set_activity(study, {"alumina": (1_930_000, "kg")}, admin, "excel") == 1
    assert set_activity(study, {"alumina": None}, admin, "form") == 1

    changes = list(ActivityChange.objects.filter(study=study).order_by("pk"))
    assert [(c.old_amount, c.old_unit, c.new_amount, c.new_unit, c.source) for c in changes] == [
        (None, "", 1920.0, "t", "form"),
        (1920.0, "t", 1_930_000.0, "kg", "excel"),
        (1_930_000.0, "kg", None, "", "form"),
    ]
    assert all(c.changed_by == admin for c in changes)
    assert not study.activity.exists()
    with pytest.raises(ValueError, match="never edited"):
        changes[0].save()


@pytest.mark.django_db
def test_bad_activity_data_saves_nothing(study: Any, world: World) -> None:
    with pytest.raises(StudyError) as caught:
        set_activity(study, {"alumina": (1, "t"), "no_such_field": (1, "t"),
                             "electricity_grid": (5, "t"), "anode_net_consumption": (1, "yak")},
                     world.users["admin_a"], "form")
    assert {p["field"] for p in caught.value.problems} == {
        "no_such_field", "electricity_grid", "anode_net_consumption"}
    assert not study.activity.exists() and not study.changes.exists()


@pytest.mark.django_db
def test_incomplete_data_names_the_missing_fields(study: Any, world: World) -> None:
    set_activity(study, {"alumina": (1920, "t")}, world.users["admin_a"], "form")
    with pytest.raises(StudyError) as caught:
        compute_result(study, world.users["admin_a"], "compute")
    assert "electricity_grid" in {p["field"] for p in caught.value.problems}
    assert not Result.objects.exists()


@pytest.mark.django_db
def test_a_result_pins_its_factor_versions_and_recomputes_identically(
    study: Any, world: World
) -> None:
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    result = compute_result(study, world.users["admin_a"], "compute")

    assert result.number == 1 and result.created_by == world.users["admin_a"]
    pins = {p.dataset.code: p.version.version for p in study.pins.select_related(
        "dataset", "version")}
    assert pins["electricity-grid-average-CN-YN"] == "2022"  # the study's reference year
    grid = result.outcome["results"]["location_based"]["by_process"][
        "electricity-grid-average-CN-YN"]
    assert grid == pytest.approx(13_500 * 0.1073)
    assert result.inputs["factors"]["electricity-grid-average-CN-YN"]["version"] == "2022"
    # Alumina and anodes have no Yunnan figure: conservative defaults, named on the result.
    assert result.complete and result.outcome["placeholders"] == []
    gaps = {g["dataset"]: g for g in result.outcome["completeness"]["gaps"]}
    assert gaps["alumina-production-CN"]["kind"] == "default"
    assert not result.outcome["completeness"]["material_gap"]
    assert recheck(result).same

    with pytest.raises(ValueError, match="immutable"):
        result.save()


@pytest.mark.django_db
def test_tampered_inputs_are_detected(study: Any, world: World) -> None:
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    result = compute_result(study, world.users["admin_a"], "compute")
    tampered = result.inputs
    tampered["activity"]["electricity_grid"][0] = 1000.0
    Result.objects.filter(pk=result.pk).update(inputs=tampered)
    check = recheck(Result.objects.get(pk=result.pk))
    assert not check.same and not check.inputs_intact
    assert any("by_" in d or "total" in d for d in check.differences)


@pytest.mark.django_db
def test_a_submitted_study_is_locked(study: Any, world: World) -> None:
    study.status = StudyStatus.SUBMITTED
    study.save()
    with pytest.raises(StudyError, match="不能再修改"):  # Chinese first
        set_activity(study, {"alumina": (1, "t")}, world.users["admin_a"], "form")


@pytest.mark.django_db
def test_a_scenario_copies_the_data_and_the_pins(study: Any, world: World) -> None:
    admin = world.users["admin_a"]
    set_activity(study, ALUMINIUM, admin, "form")
    base = compute_result(study, admin, "compute")
    scenario = copy_as_scenario(study, admin, "绿电 / green power", "switch to hydropower")
    assert scenario.scenario_of == study
    assert {v.field_id: (v.amount, v.unit) for v in scenario.activity.all()} == {
        k: (float(a), u) for k, (a, u) in ALUMINIUM.items()}
    set_activity(scenario, {"electricity_grid": (675, "万千瓦时")}, admin, "form")
    after = compute_result(scenario, admin, "compute")
    assert base.total_kg_co2e - after.total_kg_co2e == pytest.approx(6_750 * 0.1073)
    assert FactorVersion.objects.get(
        dataset__code="electricity-grid-average-CN-YN", version="2022").status == Status.PUBLISHED

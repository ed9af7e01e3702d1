"""Incomplete never looks complete: a verified result resting on a placeholder factor (the
1.0.0 phosphate pack's phosphogypsum stacking, which has no published figure) is neither
labelled nor shared through PACT; a complete one is shared with its exclusions, boundary and
defaults described, and a delivered product is not called cradle to gate."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from world_fixtures import World

from tests.rules.rules_fixtures import COMPLETE
from yuntan.demo import demo_studies
from yuntan.pact import validate_response
from yuntan.platform.exchange import services
from yuntan.platform.exchange.services import ExchangeError
from yuntan.platform.labels import actions as label_actions
from yuntan.platform.labels.models import Label
from yuntan.platform.studies.models import Product, Study
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.verification import actions
from yuntan.platform.verification.actions import VerificationError

HOST = "yuntan.example.cn"


def _study(world: World, pack: str, version: str, variant: str) -> Study:
    product = Product.objects.create(organisation=world.orgs["enterprise_a"],
                                     name_zh="产品", name_en="Product", rule_pack_id=pack,
                                     variant=variant)
    return Study.objects.create(product=product, period_start=datetime.date(2022, 1, 1),
                                period_end=datetime.date(2022, 12, 31), rule_pack_id=pack,
                                rule_pack_version=version, variant=variant,
                                created_by=world.users["admin_a"])


def _verified(study: Study, world: World, data: dict[str, tuple[float, str]]) -> Any:
    set_activity(study, data, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    verification = actions.submit(study, world.users["admin_a"])
    actions.assign(verification, world.users["verifier"], world.users["certifier"])
    actions.start_review(verification, world.users["verifier"])
    actions.sign_off(verification, world.users["verifier"], "数据与佐证一致。")
    study.refresh_from_db()
    return verification


@pytest.fixture
def keys(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.YUNTAN_JOBS_BACKEND = "inline"
    call_command("label_keys", "--rotate", stdout=StringIO())


@pytest.mark.django_db
def test_a_result_resting_on_a_placeholder_is_neither_labelled_nor_shared(
        world: World, factors: None, keys: None) -> None:
    study = _study(world, "ammonium-phosphate", "1.0.0", "dap")
    data = {**COMPLETE["ammonium-phosphate"], "phosphogypsum": (2000, "t")}
    verification = _verified(study, world, data)
    completeness = verification.latest_snapshot().result.outcome["completeness"]
    assert completeness["material_gap"]
    assert [g["dataset"] for g in completeness["gaps"] if g["material"]] == [
        "phosphogypsum-stacking"]

    with pytest.raises(VerificationError, match="phosphogypsum-stacking"):
        label_actions.issue(verification, world.users["certifier"], "https://testserver/")
    assert not Label.objects.exists()
    with pytest.raises(ExchangeError, match="phosphogypsum-stacking"):
        services.share(study, world.users["admin_a"], HOST)


@pytest.mark.django_db
def test_a_complete_footprint_is_shared_with_its_boundary_and_defaults_described(
        world: World, factors: None, keys: None) -> None:
    roses = next(s for s in demo_studies() if s.pack_id == "cut-roses")
    study = _study(world, "cut-roses", "2.0.0", "delivered")
    verification = _verified(study, world, dict(roses.activity))
    label = label_actions.issue(verification, world.users["certifier"], "https://testserver/")
    assert label.document["content"]["system_boundary_en"].startswith("cradle to customer")

    shared = services.share(study, world.users["admin_a"], HOST, mass_kg=0.048)
    pcf = shared.document_v3["pcf"]
    outcome = verification.latest_snapshot().result.outcome
    assert float(pcf["aircraftGhgEmissions"]) > 0
    headline = outcome["results"][outcome["headline"]]["total"]
    # The same share of the footprint, whatever PACT's declared unit.
    assert float(pcf["aircraftGhgEmissions"]) / float(pcf["pcfIncludingBiogenicUptake"]) == (
        pytest.approx(outcome["aircraft"] / headline, rel=1e-6))
    assert "Cradle to customer" in pcf["boundaryProcessesDescription"]
    assert "air-freight" in pcf["boundaryProcessesDescription"]  # a conservative default
    assert float(pcf["exemptedEmissionsPercent"]) == 0
    assert "boundary" not in (pcf.get("assurance") or shared.document_v3.get("assurance") or {})
    validate_response({"data": shared.document_v3}, "3", "/3/footprints/{id}", "get", 200)

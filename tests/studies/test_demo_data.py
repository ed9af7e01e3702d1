"""The platform's demo data (`yuntan manage load_demo`): fictional enterprises in five
prefectures, one per rule pack, a user for every role, computed studies and reduction
scenarios; repeatable, and enterprises still see only their own studies."""

from __future__ import annotations

import math
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from yuntan.gwp import get_gwp_set
from yuntan.identifiers import prefecture, uscc_problem
from yuntan.platform.accounts.access import get_or_404, visible
from yuntan.platform.accounts.models import Membership, Organisation, OrganisationKind, Role
from yuntan.platform.factors.actions import load_shipped_factors
from yuntan.platform.factors.models import FactorVersion
from yuntan.platform.studies.management.commands.load_demo import StudySpec, read_demo_file
from yuntan.platform.studies.models import (
    ActivityChange,
    ActivityValue,
    FactorPin,
    Product,
    Result,
    Study,
)
from yuntan.platform.studies.services import activity_data, pack_of
from yuntan.rules import Severity, check_activity_data, get_pack

DEMO = read_demo_file()
PACKS = {"electrolytic-aluminium", "ammonium-phosphate", "coffee", "tea", "cut-roses"}


def _scenario_data(spec: StudySpec, index: int) -> dict[str, tuple[float, str]]:
    changes = spec.scenarios[index].changes
    return {**spec.data(), **{k: (v.amount, v.unit) for k, v in changes.items()}}


@pytest.mark.parametrize("spec", DEMO.studies, ids=[s.rule_pack for s in DEMO.studies])
def test_the_demo_data_is_complete_and_inside_every_plausible_range(spec: StudySpec) -> None:
    pack = get_pack(spec.rule_pack, spec.rule_pack_version)
    assert check_activity_data(pack, spec.data(), spec.variant) == []
    assert spec.scenarios
    for index in range(len(spec.scenarios)):
        assert check_activity_data(pack, _scenario_data(spec, index), spec.variant) == []
    assert (spec.period_start.isoformat(), spec.period_end.isoformat()) == (
        "2022-01-01", "2022-12-31")


def test_the_demo_enterprises_have_valid_codes_in_distinct_prefectures() -> None:
    enterprises = [o for o in DEMO.organisations if o.kind == OrganisationKind.ENTERPRISE]
    assert len(enterprises) >= 5
    for org in enterprises:
        assert org.uscc is not None and uscc_problem(org.uscc) is None
        assert org.uscc[2:8] == org.prefecture  # registered where the plant is
        prefecture(org.prefecture)  # a Yunnan prefecture
        assert "示例" in org.name_zh and "Demo" in org.name_en
    assert len({o.prefecture for o in enterprises}) == len(enterprises)
    assert {s.rule_pack for s in DEMO.studies} == PACKS


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _keys_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    """The demo signs a label: its keys go to a temporary data directory, not the checkout."""
    settings.DATA_DIR = tmp_path


@pytest.fixture
def demo(db: None) -> str:
    """The demo loaded into an empty database (factors included); the command's output."""
    return _load()


@pytest.mark.django_db
def test_it_creates_enterprises_of_every_pack_in_distinct_prefectures(demo: str) -> None:
    enterprises = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE)
    assert enterprises.count() >= 5
    assert len(set(enterprises.values_list("prefecture", flat=True))) >= 5
    assert set(Product.objects.values_list("rule_pack_id", flat=True)) == PACKS
    assert set(Product.objects.values_list("organisation__prefecture", flat=True)) == {
        o.prefecture for o in DEMO.organisations if o.kind == OrganisationKind.ENTERPRISE}
    assert FactorVersion.objects.exists()  # the shipped factors were loaded first
    assert not Product.objects.filter(illustrative=False).exists()
    assert not Study.objects.filter(illustrative=False).exists()


@pytest.mark.django_db
def test_every_role_has_a_demo_user_who_can_sign_in(demo: str) -> None:
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Membership.objects.filter(role=Role.FACTOR_CURATOR).count() >= 2  # four eyes
    for spec in DEMO.users:
        # (django-axes counts sign-ins per request: authenticate() needs one.)
        user = authenticate(RequestFactory().post("/accounts/login/"),
                            username=spec.username, password=spec.password)
        assert user is not None, spec.username
        assert user.membership.role == spec.role
    for spec in DEMO.users:  # the table shows every account
        assert spec.username in demo and spec.password in demo
    assert "企业管理员 Enterprise administrator" in demo


@pytest.mark.django_db
def test_every_study_has_a_positive_result_and_a_scenario_that_reduces_it(demo: str) -> None:
    studies = Study.objects.filter(scenario_of__isnull=True)
    assert studies.count() == len(DEMO.studies)
    for study in studies:
        findings = check_activity_data(pack_of(study), activity_data(study), study.variant)
        assert not [f for f in findings if f.severity is Severity.ERROR]
        # The demo's own result (the aluminium study later gets a corrected one, after its
        # verification finding: see test_the_demo_walks_one_study_to_a_signed_label).
        base = study.results.get(number=1)
        assert base.reason == "demo"
        assert math.isfinite(base.total_kg_co2e) and base.total_kg_co2e > 0
        grid = study.pins.get(dataset__code="electricity-grid-average-CN-YN").version
        assert grid.reference_year == 2022
        scenarios = list(study.scenarios.all())
        assert scenarios
        for scenario in scenarios:
            result = scenario.latest_result()
            assert result is not None and result.study_id == scenario.pk
            assert scenario.scenario_note and scenario.illustrative
            assert 0 < result.total_kg_co2e < base.total_kg_co2e, scenario.title


@pytest.mark.django_db
def test_the_aluminium_footprint_adds_up_by_hand(demo: str) -> None:
    result = Result.objects.get(study__product__rule_pack_id="electrolytic-aluminium",
                                study__scenario_of__isnull=True, number=1)
    by_process = result.outcome["results"]["location_based"]["by_process"]
    ingot_t, liquid_t = 349_000, 350_000  # per t of ingot: divide by the ingot made
    grid_kwh = (469_000 + 2_100) * 10_000  # electrolysis + casting, 万千瓦时
    # ISO 14067: the grid's life-cycle factor (CPCD Yunnan 2020, 0.1764 kg CO2e/kWh) in the
    # headline; the MEE/NBS 2022 CO2-only factor (0.1073) in the MEE-calibre result.
    assert by_process["electricity-lifecycle-CN-YN"] == pytest.approx(
        grid_kwh / ingot_t * 0.1764)
    mee = result.outcome["results"]["mee_calibre"]["by_process"]
    assert mee["electricity-grid-average-CN-YN"] == pytest.approx(grid_kwh / ingot_t * 0.1073)
    gwp = get_gwp_set("AR6")
    anode_co2_kg = 143_500 * 0.98 * 44.0095 / 12.0107 * 1000
    cf4_kg = 0.143 * 0.1 * liquid_t
    pfc_kg_co2e = cf4_kg * (gwp.factor("CF4", "fossil") + 0.121 * gwp.factor("C2F6", "fossil"))
    assert by_process["electrolysis"] == pytest.approx(
        (anode_co2_kg + pfc_kg_co2e) / ingot_t)


def _counts() -> dict[str, int]:
    models: list[Any] = [Organisation, User, Membership, Product, Study, ActivityValue,
                         ActivityChange, FactorPin, Result, FactorVersion]
    return {m.__name__: m.objects.count() for m in models}


@pytest.mark.django_db
def test_running_it_twice_changes_nothing(demo: str) -> None:
    before = _counts()
    output = _load("--quiet")
    assert _counts() == before
    assert "0 organisations, 0 users, 0 studies, 0 results added" in output
    assert "demo-admin" not in output  # --quiet leaves out the table


@pytest.mark.django_db
def test_it_adds_the_demo_to_a_database_with_the_reference_data() -> None:
    load_shipped_factors()
    versions = FactorVersion.objects.count()
    _load("--quiet")
    assert FactorVersion.objects.count() == versions
    # Each study and its scenario, and the aluminium study's corrected result after its
    # verification finding.
    assert Result.objects.count() == 2 * len(DEMO.studies) + 1


@pytest.mark.django_db
def test_a_demo_enterprise_cannot_see_another_ones_study(demo: str, client: Client) -> None:
    aluminium = User.objects.get(username="demo-al-admin")
    coffee_study = Study.objects.get(product__rule_pack_id="coffee", scenario_of__isnull=True)
    own_study = Study.objects.get(product__rule_pack_id="electrolytic-aluminium",
                                  scenario_of__isnull=True)
    client.force_login(aluminium)
    page = client.get(reverse("studies:study", args=[own_study.pk]))
    assert page.status_code == 200
    assert 'class="banner illustrative"' in page.content.decode()  # marked in the UI
    assert client.get(reverse("studies:study", args=[coffee_study.pk])).status_code == 404
    own = visible(Study, aluminium)
    assert own.exists()
    assert set(own.values_list("product__rule_pack_id", flat=True)) == {
        "electrolytic-aluminium"}
    with pytest.raises(Http404):
        get_or_404(Study, aluminium, pk=coffee_study.pk)
    assert not visible(Result, aluminium).filter(study=coffee_study).exists()
    # Kunming's department oversees the Anning plant, not the Pu'er cooperative.
    kunming = User.objects.get(username="demo-kunming")
    overseen = set(visible(Organisation, kunming).filter(
        kind=OrganisationKind.ENTERPRISE).values_list("prefecture", flat=True))
    assert overseen == {"530100"}


@pytest.mark.django_db
def test_a_demo_username_taken_by_someone_else_stops_the_load_and_keeps_nothing(
    db: None,
) -> None:
    other = Organisation.objects.create(kind="operator", name_zh="别的运营方")
    taken = User.objects.create_user("demo-admin", password="x")
    Membership.objects.create(user=taken, organisation=other, role=Role.PLATFORM_ADMIN)
    with pytest.raises(CommandError, match="demo-admin"):
        _load("--quiet")
    assert not Study.objects.exists() and not Product.objects.exists()
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_the_demo_walks_one_study_to_a_signed_label() -> None:
    """Submission, a finding and its correction, sign-off, a signed label whose public page
    verifies; every step in the ledger."""
    from django.test import Client

    from yuntan.platform.labels.models import Label
    from yuntan.platform.ledger.actions import verify_ledger
    from yuntan.platform.verification.models import VerificationStatus

    load_shipped_factors()
    call_command("load_demo", stdout=StringIO())
    label = Label.objects.get()
    verification = label.verification
    assert verification.status == VerificationStatus.VERIFIED
    assert verification.study.snapshots.count() == 2  # submitted, corrected, resubmitted
    assert verification.findings.get().status == "closed"
    page = Client().get(f"/labels/{label.number}/").content.decode()
    assert "签名已验证" in page
    assert verify_ledger().ok
    call_command("load_demo", "--quiet", stdout=StringIO())
    assert Label.objects.count() == 1  # once


@pytest.mark.django_db
def test_the_command_line_computes_every_demo_study_to_the_platforms_number(demo: str) -> None:
    """`yuntan demo` computes from the shipped files, the platform from its database: the
    same inputs (activity, pinned factor versions, rule pack, GWP set), the same figures."""
    from yuntan.accounting import compute
    from yuntan.demo import demo_studies, study_inputs

    studies = demo_studies()
    assert {s.pack_id for s in studies} == PACKS  # one test covers every pack
    for study in studies:
        pack, inputs = study_inputs(study)
        outcome = compute(pack, inputs)
        result = Result.objects.filter(study__title=study.title, study__scenario_of__isnull=True
                                       ).order_by("number").first()
        assert result is not None, study.title
        assert result.inputs["factors"] == inputs.as_dict()["factors"], study.title
        assert result.inputs_sha256 == inputs.sha256, study.title
        for method, computed in outcome.results.items():
            stored = result.outcome["results"][method.value]["total"]
            assert stored == pytest.approx(computed.total, rel=1e-12), (study.title, method)

"""Load the platform's demo data (``yuntan/data/demo/platform.toml``): fictional organisations,
a demo user for every role, one illustrative study per rule pack with a reduction scenario,
each computed. Adds what is missing and never changes what exists, so it is safe to repeat."""

from __future__ import annotations

import datetime
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as InvalidRecord
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from yuntan.platform.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from yuntan.platform.factors.actions import load_shipped_factors
from yuntan.platform.factors.models import FactorDataset
from yuntan.platform.studies.models import Product, Study
from yuntan.platform.studies.services import (
    StudyError,
    compute_result,
    copy_as_scenario,
    pack_of,
    set_activity,
)

SOURCE = "demo"  # how the demo's activity data is recorded as entered, and the results' reason


def demo_file() -> Path:
    return Path(str(resources.files("yuntan.data.demo"))) / "platform.toml"


# --- the file ------------------------------------------------------------------------------


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AmountSpec(_Spec):
    amount: float
    unit: str


class OrganisationSpec(_Spec):
    key: str
    kind: OrganisationKind
    name_zh: str
    name_en: str = ""
    uscc: str | None = None
    prefecture: str = ""
    government_level: str = ""


class UserSpec(_Spec):
    username: str
    password: str
    organisation: str
    role: Role


class ScenarioSpec(_Spec):
    title: str
    note: str
    changes: dict[str, AmountSpec]


class StudySpec(_Spec):
    organisation: str
    owner: str
    product_zh: str
    product_en: str
    description: str
    rule_pack: str
    rule_pack_version: str
    variant: str
    title: str
    period_start: datetime.date
    period_end: datetime.date
    activity: dict[str, AmountSpec]
    scenarios: list[ScenarioSpec]

    def data(self) -> dict[str, tuple[float, str]]:
        return {k: (v.amount, v.unit) for k, v in self.activity.items()}


class DemoData(_Spec):
    organisations: list[OrganisationSpec]
    users: list[UserSpec]
    studies: list[StudySpec]

    @model_validator(mode="after")
    def _references_resolve(self) -> DemoData:
        keys = {o.key for o in self.organisations}
        owners = {u.username: u.organisation for u in self.users}
        problems = [f"user {u.username}: no organisation {u.organisation!r}"
                    for u in self.users if u.organisation not in keys]
        for s in self.studies:
            if s.organisation not in keys:
                problems.append(f"study {s.title}: no organisation {s.organisation!r}")
            if owners.get(s.owner) != s.organisation:
                problems.append(f"study {s.title}: owner {s.owner!r} is not a user of "
                                f"{s.organisation!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def read_demo_file(path: Path | None = None) -> DemoData:
    """The demo data, validated (unknown keys and dangling references are errors)."""
    path = path or demo_file()
    with path.open("rb") as handle:
        return DemoData.model_validate(tomllib.load(handle))


# --- loading -------------------------------------------------------------------------------


@dataclass
class Loaded:
    """What one run created (all zero when everything was there already)."""

    organisations: int = 0
    users: int = 0
    studies: int = 0
    results: int = 0


def _organisation(spec: OrganisationSpec, loaded: Loaded) -> Organisation:
    lookup = ({"uscc": spec.uscc} if spec.uscc
              else {"kind": spec.kind, "name_zh": spec.name_zh})
    org = Organisation.objects.filter(**lookup).first()
    if org is None:
        org = Organisation.objects.create(
            kind=spec.kind, name_zh=spec.name_zh, name_en=spec.name_en, uscc=spec.uscc,
            prefecture=spec.prefecture, government_level=spec.government_level)
        loaded.organisations += 1
    return org


def _user(spec: UserSpec, org: Organisation, loaded: Loaded) -> Any:
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = User.objects.create_user(spec.username, password=spec.password)
        loaded.users += 1
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        Membership.objects.create(user=user, organisation=org, role=spec.role)
    elif (membership.organisation_id, membership.role) != (org.pk, spec.role):
        raise CommandError(
            f"用户 {spec.username} 已属于其他机构或角色，未做修改 / user {spec.username} "
            f"already exists with another organisation or role; nothing was changed")
    return user


def _compute_once(study: Study, user: Any, loaded: Loaded) -> None:
    if not study.results.exists():
        compute_result(study, user, SOURCE)
        loaded.results += 1


def _study(spec: StudySpec, org: Organisation, owner: Any, loaded: Loaded) -> None:
    product, _ = Product.objects.get_or_create(
        organisation=org, name_zh=spec.product_zh, rule_pack_id=spec.rule_pack,
        defaults={"name_en": spec.product_en, "variant": spec.variant,
                  "description": spec.description, "illustrative": True})
    study = Study.objects.filter(product=product, title=spec.title,
                                 scenario_of__isnull=True).first()
    if study is None:
        study = Study.objects.create(
            product=product, title=spec.title, period_start=spec.period_start,
            period_end=spec.period_end, rule_pack_id=spec.rule_pack,
            rule_pack_version=spec.rule_pack_version, variant=spec.variant,
            illustrative=True, created_by=owner)
        set_activity(study, spec.data(), owner, SOURCE)
        loaded.studies += 1
    _compute_once(study, owner, loaded)  # before the copy, so the scenario keeps its pins
    for scenario_spec in spec.scenarios:
        scenario = study.scenarios.filter(title=scenario_spec.title).first()
        if scenario is None:
            scenario = copy_as_scenario(study, owner, scenario_spec.title, scenario_spec.note)
            set_activity(scenario, {k: (v.amount, v.unit)
                                    for k, v in scenario_spec.changes.items()}, owner, SOURCE)
            loaded.studies += 1
        _compute_once(scenario, owner, loaded)


@transaction.atomic
def load_demo(data: DemoData) -> Loaded:
    """Create what is missing of ``data``, computing every study and scenario once."""
    if not FactorDataset.objects.exists():
        load_shipped_factors()
    loaded = Loaded()
    orgs = {spec.key: _organisation(spec, loaded) for spec in data.organisations}
    users = {spec.username: _user(spec, orgs[spec.organisation], loaded)
             for spec in data.users}
    for spec in data.studies:
        _study(spec, orgs[spec.organisation], users[spec.owner], loaded)
    return loaded


# --- output --------------------------------------------------------------------------------


def _demo_label() -> Any:
    """The aluminium demo study walked through verification to its signed label (once);
    the existing label on later runs."""
    from yuntan.platform.labels.models import Label
    from yuntan.platform.verification.demo import ENTERPRISE, verify_and_label

    study = Study.objects.filter(
        product__organisation__memberships__user__username=ENTERPRISE,
        scenario_of__isnull=True).order_by("pk").first()
    if study is None:
        return None
    return verify_and_label(study) or Label.objects.filter(verification__study=study).first()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows padded to their columns' display width (CJK characters count twice)."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths,
                                                                      strict=True)).rstrip()
            for row in rows]


def _both(label: Any) -> str:
    """A translatable label in Chinese and English."""
    with translation.override("zh-hans"):
        zh = str(label)
    with translation.override("en"):
        en = str(label)
    return zh if zh == en else f"{zh} {en}"


def account_rows(data: DemoData) -> list[list[str]]:
    names = {o.key: o.name_zh for o in data.organisations}
    return [["用户名 Username", "密码 Password", "角色 Role", "机构 Organisation"]] + [
        [u.username, u.password, _both(Role(u.role).label), names[u.organisation]]
        for u in data.users]


def _kg(value: float) -> str:
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.4g}"


def footprint_rows(data: DemoData) -> list[list[str]]:
    """Each demo study's latest footprint and its scenarios', per declared unit."""
    rows = [["产品 Product", "声明单位 Declared unit", "情景 Case",
             "kg CO2e / 声明单位 declared unit"]]
    for spec in data.studies:
        study = Study.objects.filter(
            product__name_zh=spec.product_zh, product__rule_pack_id=spec.rule_pack,
            title=spec.title, illustrative=True, scenario_of__isnull=True).first()
        if study is None:
            continue
        unit = pack_of(study).declared_unit
        label = f"{unit.amount:g} {unit.unit}"
        for case in [study, *study.scenarios.order_by("pk")]:
            result = case.latest_result()
            if result is None:
                continue
            name = "基准 baseline" if case.scenario_of_id is None else case.title
            rows.append([spec.product_zh, label, name, _kg(result.total_kg_co2e)])
    return rows


class Command(BaseCommand):
    help = ("载入平台演示数据（虚构企业、各角色演示账号、示例核算与减排情景）/ Load the demo "
            "data (fictional enterprises, demo accounts for every role, illustrative studies "
            "and reduction scenarios)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=None,
                            help="the demo data file (default: the shipped platform.toml)")
        parser.add_argument("--quiet", action="store_true",
                            help="do not print the demo accounts and footprints")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = read_demo_file(options["file"])
            loaded = load_demo(data)
        except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
            raise CommandError(f"演示数据文件有误 / the demo data file is wrong: {exc}") from exc
        except InvalidRecord as exc:
            raise CommandError(f"演示数据未载入 / demo data not loaded: {exc}") from exc
        except StudyError as exc:
            details = "; ".join(f"{p.get('field', '')}: {p.get('message', '')}"
                                for p in exc.problems)
            raise CommandError(f"演示数据未载入 / demo data not loaded: {exc} {details}") from exc
        label = _demo_label()
        self.stdout.write(
            f"演示数据：新增机构 {loaded.organisations}、用户 {loaded.users}、核算 "
            f"{loaded.studies}、结果 {loaded.results} / demo data: {loaded.organisations} "
            f"organisations, {loaded.users} users, {loaded.studies} studies, "
            f"{loaded.results} results added")
        if options["quiet"]:
            return
        self.stdout.write("\n== 演示账号（仅供演示）/ Demo accounts (demo only) ==")
        for line in _table(account_rows(data)):
            self.stdout.write(line)
        self.stdout.write("登录 / sign in: /accounts/login/")
        if loaded.users < len(data.users):
            self.stdout.write("已存在的账号保留其当前密码 / accounts that already existed keep "
                              "their current password")
        self.stdout.write("\n== 示例产品碳足迹（示意数据）/ Illustrative footprints ==")
        for line in _table(footprint_rows(data)):
            self.stdout.write(line)
        if label is not None:
            self.stdout.write(f"\n== 已核查并签发的碳标识 / verified, labelled: "
                              f"{label.number} → /labels/{label.number}/ ==")
            self._shared(label)

    def _shared(self, label: Any) -> None:
        """The labelled study's footprint shared through PACT with a demo buyer."""
        from yuntan.platform.exchange.demo import share_demo

        study = label.verification.study
        footprint, customer, secret = share_demo(study, label.verification.study.created_by)
        self.stdout.write(f"== PACT：已共享的碳足迹 / shared through PACT: {footprint.id} → "
                          f"/exchange/footprints/{footprint.id}/ ==")
        if secret is not None:
            self.stdout.write(f"   示例买方凭据（仅显示一次）/ demo buyer's credentials (shown "
                              f"once): client_id {customer.client_id}  client_secret {secret}")
        else:
            self.stdout.write(f"   示例买方 / demo buyer: client_id {customer.client_id} "
                              f"(密钥已于首次运行显示 / secret shown on the first run)")

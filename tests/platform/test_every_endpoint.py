"""Every endpoint, asked by every role: who may open what.

The project rule: an enterprise never sees another's data; a verifier sees only what is
assigned; every endpoint is covered by permission tests. The URL resolver is walked, so a
new URL pattern fails :func:`test_every_url_pattern_is_in_the_table` until it has a filler
for its parameters (:data:`FILLERS`) and a row saying who may open it (:data:`ENDPOINTS`).

Each row is asked by each role of the ``world`` fixture, signed in with a fresh client:
the audience gets the page (2xx, a redirect that is not to sign in, or a form error for a
POST with too little data); anonymous visitors are sent to sign in (the JSON API answers
401 or 404); a role that may see the object but not do this gets 403; another organisation's
objects answer 404. No response to a role outside an object's audience contains the
object's name (:data:`SECRETS`), and a refused POST changes no row of any table.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from world_fixtures import World

from tests.formats.jsonld.jsonld_fixtures import chain_package
from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.accounts.models import Invitation
from yuntan.platform.exchange.models import FootprintRequest, SharedFootprint, Supplier
from yuntan.platform.exchange.services import create_customer
from yuntan.platform.factors.actions import load_shipped_factors
from yuntan.platform.factors.models import (
    PUBLIC_STATUSES,
    FactorDataset,
    FactorValue,
    FactorVersion,
)
from yuntan.platform.jobs.runner import submit
from yuntan.platform.lci.importer import import_lci_database, keep_upload
from yuntan.platform.lci.models import LciDatabase
from yuntan.platform.rulepacks.actions import load_shipped_rule_packs
from yuntan.platform.studies.evidence import store_evidence
from yuntan.platform.studies.models import Product, Study, SupplierFootprint
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.platform.verification import actions as verify_actions

# --- roles and audiences ------------------------------------------------------------------

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "admin_a", "member_a", "admin_b", "verifier", "certifier",
         "province_viewer", "puer_viewer", "curator", "platform_admin", "outsider")
SIGNED_IN_ROLES = frozenset(ROLES) - {ANONYMOUS}
A_PEOPLE = frozenset({"admin_a", "member_a"})

# What a role gets back.
OK = "allowed"
LOGIN = "sent to sign in"
FORBIDDEN = "403"
NOT_FOUND = "404"
REFUSED = "refused without a PACT token over HTTPS (400, 401 or 403)"


@dataclass(frozen=True)
class Audience:
    """Who may open an endpoint: ``allowed`` roles get it, ``forbidden`` ones 403 (they may
    see the object but not do this), ``hidden`` ones 404; every other signed-in role gets
    ``others`` and anonymous visitors ``anonymous``."""

    label: str
    allowed: frozenset[str]
    forbidden: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    others: str = FORBIDDEN
    anonymous: str = LOGIN

    def expect(self, role: str) -> str:
        if role in self.allowed:
            return OK
        if role == ANONYMOUS:
            return self.anonymous
        if role in self.forbidden:
            return FORBIDDEN
        if role in self.hidden:
            return NOT_FOUND
        return self.others


PUBLIC = Audience("public", frozenset(ROLES), anonymous=OK)
NOBODY = Audience("nobody (404)", frozenset(), others=NOT_FOUND, anonymous=NOT_FOUND)
SIGNED_IN = Audience("signed in", SIGNED_IN_ROLES)
IN_AN_ORGANISATION = Audience("signed in with an organisation", SIGNED_IN_ROLES - {"outsider"})
STAFF = Audience("staff (Django admin)", frozenset({"platform_admin"}), others=LOGIN)
PLATFORM_ADMIN = Audience("platform administrators", frozenset({"platform_admin"}))
GOVERNMENT = Audience("government viewers (+ platform admin)",
                      frozenset({"province_viewer", "puer_viewer", "platform_admin"}))
CURATORS = Audience("factor curators", frozenset({"curator", "platform_admin"}))
ENTERPRISES = Audience("enterprise people", A_PEOPLE | {"admin_b"})
LCI_UPLOADERS = Audience("LCI uploaders (curators, enterprise administrators)",
                         frozenset({"curator", "admin_a", "admin_b", "platform_admin"}))
A_OWN = Audience("enterprise A's own (+ platform admin)", A_PEOPLE | {"platform_admin"},
                 others=NOT_FOUND)
A_EDIT = Audience("enterprise A's own people; platform admin 403", A_PEOPLE,
                  forbidden=frozenset({"platform_admin"}), others=NOT_FOUND)
A_ORGANISATION = Audience("A's organisation (+ its province viewer, platform admin)",
                          A_PEOPLE | {"province_viewer", "platform_admin"}, others=NOT_FOUND)
A_INVITE = Audience("A's administrator (+ platform admin)",
                    frozenset({"admin_a", "platform_admin"}),
                    forbidden=frozenset({"member_a", "province_viewer"}), others=NOT_FOUND)
A_JOB = Audience("who started the job (+ platform admin)",
                 frozenset({"admin_a", "platform_admin"}), others=NOT_FOUND)
A_JOB_API = Audience("who started the job (+ platform admin), API",
                     frozenset({"admin_a", "platform_admin"}), others=NOT_FOUND,
                     anonymous=NOT_FOUND)
# A private database is nobody's public source: even the platform admin may not derive a
# provincial factor from it.
A_CASE = Audience("A's verification: A, the certification body, the assigned verifier",
                  A_PEOPLE | {"certifier", "verifier", "platform_admin"}, others=NOT_FOUND)
# The PACT host answers bearer tokens over HTTPS only: a session (and plain HTTP) gets no
# data from anyone; tests/exchange covers tokens, TLS and customers.
PACT_HOST = Audience("PACT customers' tokens over HTTPS only", frozenset(), others=REFUSED,
                     anonymous=REFUSED)
ENTERPRISE_PAGES = Audience("enterprise people (each their own)", A_PEOPLE | {"admin_b"})
FEED_TOKEN = Audience("meter feed tokens only (no session)", frozenset(), others=LOGIN)
UNKNOWN_LABEL = Audience("a label number that does not exist", frozenset(),
                         others=NOT_FOUND)
A_LCI_DERIVE = Audience("nobody (A's database is private)", frozenset(),
                        hidden=frozenset({"curator"}))


@dataclass(frozen=True)
class Row:
    """One request of the table: the URL name, who may, and what is sent."""

    name: str
    audience: Audience
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)
    query: str = ""
    reveals: frozenset[str] = frozenset()  # secrets this page may show to anyone it serves

    @property
    def label(self) -> str:
        return f"{self.method} {self.name}{self.query}"


# The one table: every named URL of ours, who may open it. POST rows send the least data a
# view accepts as a request (a form error is fine: the permission check came first).
ENDPOINTS: tuple[Row, ...] = (
    # front, API
    Row("front:home", PUBLIC),
    Row("front:health", PUBLIC),
    Row("api:health", PUBLIC),
    Row("api:openapi-json", PUBLIC),
    Row("api:openapi-view", PUBLIC),
    Row("api:api-root", NOBODY),  # ninja's base path: 404 for everyone
    Row("api:list_factors", PUBLIC),
    Row("api:get_factor", PUBLIC),
    Row("api:get_factor_version", PUBLIC),
    Row("api:job_detail", A_JOB_API),
    # pushed by energy-monitoring systems with a feed token; a session is not enough
    Row("api:push_meter_readings", FEED_TOKEN, "POST"),
    # sign-in (django.contrib.auth; the password pages use the admin's templates)
    Row("login", PUBLIC),
    Row("logout", PUBLIC, "POST"),
    Row("password_change", SIGNED_IN),
    Row("password_change_done", SIGNED_IN),
    Row("admin:index", STAFF),
    # organisations and people
    Row("accounts:my-organisation", IN_AN_ORGANISATION),
    Row("accounts:organisations", PLATFORM_ADMIN),
    Row("accounts:organisations", PLATFORM_ADMIN, "POST"),
    Row("accounts:organisation", A_ORGANISATION),
    Row("accounts:invite", A_INVITE, "POST",
        {"email": "second-invitee@a.example", "role": "enterprise_member"}),
    # The token (posted, never in the URL) is the invitation: whoever holds it sees whom
    # it invites (tests/accounts); without it the page shows nobody.
    Row("accounts:join", PUBLIC),
    Row("accounts:join", PUBLIC, "POST"),
    # factors
    Row("factors:list", PUBLIC),
    Row("factors:detail", PUBLIC),
    Row("factors:export", PUBLIC, query="?q=electricity-grid-average-CN-YN&format=csv"),
    Row("factors:new-dataset", CURATORS),
    Row("factors:new-dataset", CURATORS, "POST"),
    Row("factors:new-version", CURATORS),
    Row("factors:edit", CURATORS),
    Row("factors:review", CURATORS, "POST"),
    Row("factors:publish", CURATORS, "POST"),
    Row("factors:import", CURATORS),
    Row("factors:import", CURATORS, "POST"),
    # rule packs
    Row("rulepacks:list", PUBLIC),
    Row("rulepacks:detail", PUBLIC),
    Row("rulepacks:template", PUBLIC),
    Row("rulepacks:form", PUBLIC),
    Row("rulepacks:check", SIGNED_IN),
    # background jobs and LCI databases
    Row("jobs:list", SIGNED_IN),
    Row("jobs:detail", A_JOB),
    Row("lci:list", SIGNED_IN),
    Row("lci:list", LCI_UPLOADERS, "POST"),
    Row("lci:database", A_OWN),
    Row("lci:process", A_OWN),
    Row("lci:derive", A_LCI_DERIVE, "POST"),
    # the ledger: entries for platform admins; keys and checkpoints are public (the cast
    # signs no checkpoint, so checkpoint 1 answers 404; tests/ledger show it served)
    Row("ledger:entries", PLATFORM_ADMIN),
    Row("ledger:keys", PUBLIC),
    Row("ledger:checkpoint", NOBODY),
    # products, studies, results
    Row("studies:overview", GOVERNMENT),
    Row("studies:products", SIGNED_IN),
    Row("studies:products", ENTERPRISES, "POST"),
    Row("studies:product", A_OWN),
    Row("studies:product", A_EDIT, "POST"),
    Row("studies:study", A_OWN),
    Row("studies:data", A_EDIT),
    Row("studies:template", A_OWN),
    Row("studies:evidence", A_OWN),
    Row("studies:result", A_OWN),
    Row("studies:report", A_OWN),
    Row("studies:upload", A_EDIT, "POST"),
    Row("studies:evidence-upload", A_EDIT, "POST"),
    Row("studies:scenario", A_EDIT, "POST"),
    Row("studies:uncertainty", A_EDIT, "POST", {"iterations": "5"}),  # refused: no job
    Row("studies:recheck", A_OWN, "POST"),  # recomputes and compares; stores nothing
    Row("studies:data-check", A_EDIT, "POST"),  # checks the typed data, stores nothing
    Row("studies:link", A_EDIT),
    Row("studies:link", A_EDIT, "POST", {
        "action": "add_supplier", "supplier": "S", "product": "P", "unit": "t",
        "kg_co2e_per_unit": "1", "gwp_set": "AR6", "reference_year": "2022",
        "evidence": "certificate"}),
    Row("studies:compute", A_EDIT, "POST"),
    Row("studies:data", A_EDIT, "POST"),
    # cross-check data: meters, bills, green electricity documents
    Row("checkdata:page", A_OWN),
    Row("checkdata:act", A_EDIT, "POST", {"action": "add_bill"}),
    # supply-chain exchange: A's shared footprint, customer and request
    Row("exchange:home", ENTERPRISE_PAGES),
    Row("exchange:share", A_EDIT, "POST"),  # the study is not verified: refused with a message
    Row("exchange:footprint", A_OWN),
    Row("exchange:footprint", A_EDIT, "POST", {"action": "none"}),
    Row("exchange:footprint-file", A_OWN),
    Row("exchange:customers", ENTERPRISE_PAGES),
    Row("exchange:customers", ENTERPRISE_PAGES, "POST"),  # no name: a form error
    Row("exchange:customer", A_OWN),
    Row("exchange:customer", A_EDIT, "POST", {"action": "none"}),
    Row("exchange:request", A_OWN),
    Row("exchange:request", A_EDIT, "POST", {"action": "none"}),
    Row("exchange:extension", PUBLIC),  # our PACT extension's JSON schema
    Row("exchange:suppliers", ENTERPRISE_PAGES),
    Row("exchange:suppliers", ENTERPRISE_PAGES, "POST"),  # nothing filled in: refused
    Row("exchange:supplier", A_OWN),
    Row("exchange:supplier", A_EDIT, "POST", {"action": "none"}),
    Row("pact:token", PACT_HOST, "POST"),
    Row("pact:openid", PACT_HOST),
    Row("pact:jwks", PACT_HOST),
    Row("pact:list", PACT_HOST),
    Row("pact:get", PACT_HOST),
    Row("pact:events", PACT_HOST, "POST"),
    # verification (A's second study: submitted, assigned to the verifier, in review)
    Row("verification:list", SIGNED_IN),
    Row("verification:notifications", SIGNED_IN),
    Row("verification:detail", A_CASE),
    Row("verification:act", A_CASE, "POST", {"text": "t", "reason": "r"}),
    Row("verification:finding", A_CASE, "POST", {"answer": "a"}),
    Row("verification:submit", A_EDIT, "POST"),
    # labels: public by number (none is issued in the cast: 404), keys public, issuing on
    # A's verification (refused there as it is not verified: back to its page)
    Row("labels:public", NOBODY),
    Row("labels:document", NOBODY),
    Row("labels:image", NOBODY),
    Row("labels:keys", PUBLIC),
    Row("labels:issue", A_CASE, "POST"),
    Row("labels:status", UNKNOWN_LABEL, "POST", {"status": "revoked", "reason": "r"}),
    Row("labels:surveillance", UNKNOWN_LABEL, "POST", {"outcome": "o"}),
)

# Text that only some roles may ever read: enterprise A's product, study, evidence, LCI
# database (and its import job), A's pending invitation, and a factor dataset that has only
# drafts.
A_READERS = A_PEOPLE | {"platform_admin"}
SECRETS: dict[str, frozenset[str]] = {
    "甲秘密铝锭": A_READERS,
    "A-secret-ingot": A_READERS,
    "A-secret-study": A_READERS,
    "a-secret-meter.csv": A_READERS,
    "A-secret-supplier": A_READERS,
    "A-secret-customer": A_READERS,
    "A-secret-supplier-host": A_READERS,
    "A-secret-LCI": A_READERS,
    "invitee-secret@a.example": frozenset({"admin_a", "platform_admin"}),
    "perm-draft-only": frozenset({"curator", "platform_admin"}),
}

# --- the cast of objects, and each URL's parameters ---------------------------------------

PACK = ("electrolytic-aluminium", "1.0.0")
PUBLIC_FACTOR = "electricity-grid-average-CN-YN"
DRAFT_DATASET = "perm-draft-only"


@dataclass
class Cast:
    """The world, and enterprise A's (or the province's) objects every URL is filled from."""

    world: World
    objects: dict[str, Any]


FILLERS: dict[str, Callable[[Cast], dict[str, Any]]] = {
    "accounts:organisation": lambda c: {"pk": c.world.orgs["enterprise_a"].pk},
    "accounts:invite": lambda c: {"pk": c.world.orgs["enterprise_a"].pk},
    # A dataset with one public version: see test_the_api_fetches_a_dataset_with_several_...
    "api:get_factor": lambda c: {"code": c.objects["api_factor"][0]},
    "api:get_factor_version": lambda c: dict(zip(("code", "version"), c.objects["api_factor"],
                                                 strict=True)),
    "api:job_detail": lambda c: {"job_id": c.objects["job"].pk},
    "factors:detail": lambda c: {"code": PUBLIC_FACTOR},
    "factors:new-version": lambda c: {"code": DRAFT_DATASET},
    "factors:edit": lambda c: {"code": DRAFT_DATASET, "version": "draft"},
    "factors:review": lambda c: {"code": DRAFT_DATASET, "version": "draft"},
    "factors:publish": lambda c: {"code": DRAFT_DATASET, "version": "reviewed"},
    "rulepacks:detail": lambda c: dict(zip(("pack_id", "version"), PACK, strict=True)),
    "rulepacks:template": lambda c: dict(zip(("pack_id", "version"), PACK, strict=True)),
    "rulepacks:check": lambda c: dict(zip(("pack_id", "version"), PACK, strict=True)),
    "rulepacks:form": lambda c: dict(zip(("pack_id", "version"), PACK, strict=True)),
    "jobs:detail": lambda c: {"job_id": c.objects["job"].pk},
    "ledger:checkpoint": lambda c: {"number": 1},
    "lci:database": lambda c: {"pk": c.objects["lci"].pk},
    "lci:process": lambda c: {"pk": c.objects["lci"].pk, "uuid": c.objects["process"]},
    "lci:derive": lambda c: {"pk": c.objects["lci"].pk, "uuid": c.objects["process"]},
    "studies:product": lambda c: {"pk": c.objects["study"].product_id},
    "studies:study": lambda c: {"pk": c.objects["study"].pk},
    "checkdata:page": lambda c: {"pk": c.objects["study"].pk},
    "exchange:share": lambda c: {"pk": c.objects["study"].pk},
    "exchange:footprint": lambda c: {"pk": c.objects["footprint"].pk},
    "exchange:footprint-file": lambda c: {"pk": c.objects["footprint"].pk, "version": "3"},
    "exchange:customer": lambda c: {"pk": c.objects["customer"].pk},
    "exchange:request": lambda c: {"pk": c.objects["request"].pk},
    "exchange:supplier": lambda c: {"pk": c.objects["supplier"].pk},
    "exchange:extension": lambda c: {"name": "yuntan-label-1.0.0.json"},
    "pact:list": lambda c: {"version": "3"},
    "pact:get": lambda c: {"version": "3", "pf_id": str(c.objects["footprint"].pk)},
    "pact:events": lambda c: {"version": "3"},
    "checkdata:act": lambda c: {"pk": c.objects["study"].pk},
    "studies:data": lambda c: {"pk": c.objects["study"].pk},
    "studies:data-check": lambda c: {"pk": c.objects["study"].pk},
    "studies:template": lambda c: {"pk": c.objects["study"].pk},
    "studies:upload": lambda c: {"pk": c.objects["study"].pk},
    "studies:evidence-upload": lambda c: {"pk": c.objects["study"].pk},
    "studies:evidence": lambda c: {"pk": c.objects["evidence"].pk},
    "studies:compute": lambda c: {"pk": c.objects["study"].pk},
    "studies:scenario": lambda c: {"pk": c.objects["study"].pk},
    "studies:result": lambda c: {"pk": c.objects["study"].pk, "number": 1},
    "studies:recheck": lambda c: {"pk": c.objects["study"].pk, "number": 1},
    "studies:report": lambda c: {"pk": c.objects["study"].pk, "number": 1, "fmt": "html"},
    "studies:uncertainty": lambda c: {"pk": c.objects["study"].pk, "number": 1},
    "studies:link": lambda c: {"pk": c.objects["study"].pk, "field_id": "alumina"},
    "verification:detail": lambda c: {"pk": c.objects["verification"].pk},
    "verification:act": lambda c: {"pk": c.objects["verification"].pk, "action": "finding"},
    "verification:finding": lambda c: {"pk": c.objects["finding"].pk, "action": "answer"},
    "verification:submit": lambda c: {"study_pk": c.objects["study"].pk},
    "labels:public": lambda c: {"number": "YN-CFP-0000-000000"},
    "labels:document": lambda c: {"number": "YN-CFP-0000-000000"},
    "labels:image": lambda c: {"number": "YN-CFP-0000-000000", "fmt": "svg"},
    "labels:status": lambda c: {"number": "YN-CFP-0000-000000"},
    "labels:surveillance": lambda c: {"number": "YN-CFP-0000-000000"},
    "labels:issue": lambda c: {"pk": c.objects["verification"].pk},
}

# Patterns this test leaves to others: Django admin's own pages (admin:index stays in the
# table: only staff get in) and the language switch (tests/platform/test_i18n.py).
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_NAMES = frozenset({"set_language"})
KEPT = frozenset({"admin:index"})


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "",
          parameters: frozenset[str] = frozenset()
          ) -> Iterator[tuple[str, str | None, str, frozenset[str]]]:
    """(namespace, namespaced name, route, parameter names) of every URL pattern."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        found = parameters | set(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, (namespace, pattern.namespace or "")))
            yield from _walk(pattern.url_patterns, route, inner, found)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield namespace, name, route, found


def _url_patterns() -> tuple[dict[str, tuple[str, frozenset[str]]], list[str]]:
    """Our named URL patterns (name → route, parameters) and what is wrong with the rest."""
    found: dict[str, tuple[str, frozenset[str]]] = {}
    problems: list[str] = []
    for namespace, name, route, parameters in _walk(get_resolver().url_patterns):
        if name not in KEPT and (namespace.split(":")[0] in SKIPPED_NAMESPACES
                                 or name in SKIPPED_NAMES):
            continue
        if name is None:
            problems.append(f"URL pattern {route!r} has no name: give it one (and add it to "
                            f"ENDPOINTS)")
        elif name in found:
            problems.append(f"URL name {name!r} is used by {found[name][0]!r} and {route!r}")
        else:
            found[name] = (route, parameters)
    return found, problems


def url_of(cast: Cast, row: Row) -> str:
    filler = FILLERS.get(row.name)
    return reverse(row.name, kwargs=filler(cast) if filler else None) + row.query


@pytest.fixture
def cast(world: World, settings: Any, tmp_path: Path) -> Cast:
    """Enterprise A's product, study with a computed result, a piece of evidence, a supplier
    footprint, its own LCI database (imported by admin_a as a background job) and a pending
    invitation to A; the shipped factors and rule packs, and a factor dataset with only a
    draft and a reviewed version."""
    settings.YUNTAN_JOBS_BACKEND = "inline"
    settings.DATA_DIR = tmp_path
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    cache.clear()  # result pages are cached by primary key, which tests reuse
    load_shipped_factors()
    load_shipped_rule_packs()
    admin_a = world.users["admin_a"]

    product = Product.objects.create(
        organisation=world.orgs["enterprise_a"], name_zh="甲秘密铝锭", name_en="A-secret-ingot",
        rule_pack_id=PACK[0], variant="ingot")
    study = Study.objects.create(
        product=product, title="A-secret-study", period_start=datetime.date(2022, 1, 1),
        period_end=datetime.date(2022, 12, 31), rule_pack_id=PACK[0],
        rule_pack_version=PACK[1], variant="ingot", created_by=admin_a)
    set_activity(study, ALUMINIUM, admin_a, "form")
    compute_result(study, admin_a, "compute")
    evidence = store_evidence(study, "alumina",
                              SimpleUploadedFile("a-secret-meter.csv", b"t,1920\n"), admin_a)
    SupplierFootprint.objects.create(
        organisation=world.orgs["enterprise_a"], supplier="A-secret-supplier", product="氧化铝",
        unit="t", kg_co2e_per_unit=1500, reference_year=2022, evidence="PCF-1",
        created_by=admin_a)
    _invitation, token = Invitation.issue(world.orgs["enterprise_a"], "enterprise_member",
                                          "invitee-secret@a.example", admin_a)

    package, ids = chain_package()
    path = package.write(tmp_path / "chain.zip")
    kept, sha256, size = keep_upload(SimpleUploadedFile("chain.zip", path.read_bytes()))
    job = submit(import_lci_database, "Import A-secret-LCI",
                 {"path": str(kept), "name": "A-secret-LCI",
                  "organisation_id": world.orgs["enterprise_a"].pk, "file_name": "chain.zip",
                  "sha256": sha256, "size": size, "user_id": admin_a.pk}, user=admin_a)
    assert job.status == "succeeded", job.error

    dataset = FactorDataset.objects.create(code=DRAFT_DATASET, name_zh="仅有草稿",
                                           name_en="Drafts only", category="energy", unit="kWh")
    for label, status in (("draft", "draft"), ("reviewed", "reviewed")):
        version = FactorVersion.objects.create(
            dataset=dataset, version=label, status=status, region="CN-YN", reference_year=2024,
            method="grid_average_location_based", source_publisher="测试",
            source_document="测试", source_quality="secondary",
            created_by=world.users["platform_admin"],
            # four eyes: a reviewed version was reviewed by another curator
            reviewer=world.users["curator"] if status == "reviewed" else None)
        FactorValue.objects.create(version=version, gas="CO2", origin="fossil",
                                   amount_kg_per_unit=0.1)
    single = (FactorVersion.objects.filter(status__in=PUBLIC_STATUSES)
              .values("dataset").annotate(n=Count("pk")).filter(n=1).values("dataset"))
    api_factor = FactorVersion.objects.filter(dataset__in=single, status__in=PUBLIC_STATUSES) \
        .values_list("dataset__code", "version").order_by("dataset__code").first()
    # A second study of A, submitted, assigned to the verifier, in review with a finding.
    checked = Study.objects.create(
        product=Product.objects.create(organisation=world.orgs["enterprise_a"],
                                       name_zh="甲铝锭二", rule_pack_id=PACK[0],
                                       variant="ingot"),
        period_start=datetime.date(2022, 1, 1), period_end=datetime.date(2022, 12, 31),
        rule_pack_id=PACK[0], rule_pack_version=PACK[1], variant="ingot", created_by=admin_a)
    set_activity(checked, ALUMINIUM, admin_a, "form")
    compute_result(checked, admin_a, "compute")
    verification = verify_actions.submit(checked, admin_a)
    verify_actions.assign(verification, world.users["verifier"], world.users["certifier"])
    verify_actions.start_review(verification, world.users["verifier"])
    finding = verify_actions.raise_finding(verification, world.users["verifier"],
                                           field_id="alumina", text="t", reason="r",
                                           severity="high")
    # A's footprint shared through PACT (stored as the host serves it), a customer and a
    # footprint request from it.
    footprint = SharedFootprint.objects.create(
        organisation=world.orgs["enterprise_a"], study=study, result=study.latest_result(),
        document_v3={"productNameCompany": "A-secret-ingot"}, created_by=admin_a,
        created_at=study.created_at)
    customer, _secret = create_customer(world.orgs["enterprise_a"], "A-secret-customer",
                                        admin_a)
    request = FootprintRequest.objects.create(
        organisation=world.orgs["enterprise_a"], customer=customer, version="3",
        event_id="e-1", source="//buyer.example", our_source="//testserver", body={})
    supplier = Supplier.objects.create(
        organisation=world.orgs["enterprise_a"], name="A-secret-supplier-host",
        base_url="https://pact.supplier.example", client_id="c", secret="x", created_by=admin_a)
    return Cast(world, {
        "footprint": footprint, "customer": customer, "request": request,
        "supplier": supplier,
        "verification": verification, "finding": finding,
        "study": study, "evidence": evidence, "token": token, "job": job,
        "lci": LciDatabase.objects.get(name="A-secret-LCI"), "process": ids["mill"],
        "api_factor": api_factor,
    })


# --- checking one response ----------------------------------------------------------------

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _to_sign_in(response: HttpResponseBase) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path in LOGIN_PATHS


def _outcome_problem(row: Row, expect: str, response: HttpResponseBase) -> str | None:
    """Why the response does not answer as ``expect`` (None when it does)."""
    status = response.status_code
    if expect == OK:
        fine = (status < 300 or (status < 400 and not _to_sign_in(response))
                or (row.method == "POST" and status in (400, 422)))
    elif expect == LOGIN:
        fine = status in (401, 404) if row.name.startswith("api:") else _to_sign_in(response)
    elif expect == FORBIDDEN:
        fine = status == 403
    elif expect == REFUSED:
        fine = status in (400, 401, 403, 405)
    else:
        fine = status == 404
    if fine:
        return None
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{row.label}: expected {expect}, got {status}{where}"


def _body(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        # Reading to the end closes the response (the test client's wrapper does it); a
        # second close() would send request_finished again and, on PostgreSQL, close the
        # test's database connection.
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined, no-any-return]


def _leaks(row: Row, role: str, body: bytes) -> list[str]:
    return [f"{row.label}: {role} reads {secret!r}" for secret, readers in SECRETS.items()
            if role not in readers and secret not in row.reveals and secret.encode() in body]


def _rows() -> list[tuple[str, Any]]:
    """Rows of every model of ours (and users): a refused request must change none."""
    counts: list[tuple[str, Any]] = [
        (model._meta.label, model._default_manager.count()) for model in apps.get_models()
        if model.__module__.startswith("yuntan.") or model is User]
    counts.append(("factor statuses", sorted(FactorVersion.objects.filter(
        dataset__code=DRAFT_DATASET).values_list("version", "status"))))
    return counts


def _client(cast: Cast, role: str) -> Client:
    client = Client()  # enforce_csrf_checks=False: the test client is exempt
    if role != ANONYMOUS:
        client.force_login(cast.world.users[role])
    return client


def ask(cast: Cast, role: str, row: Row) -> list[str]:
    """Ask one row as ``role``: the problems found (none when it answers as the table says)."""
    client = _client(cast, role)
    url = url_of(cast, row)
    before = _rows() if row.method == "POST" else None
    response = client.post(url, row.data) if row.method == "POST" else client.get(url)
    expect = row.audience.expect(role)
    problems = _leaks(row, role, _body(response))
    problem = _outcome_problem(row, expect, response)
    if problem:
        problems.append(problem)
    if before is not None and expect != OK:
        changed = [label for (label, was), (_, now) in zip(before, _rows(), strict=True)
                   if was != now]
        if changed:
            problems.append(f"{row.label}: refused for {role}, yet changed {changed}")
    return problems


# --- the tests ----------------------------------------------------------------------------

def test_every_url_pattern_is_in_the_table() -> None:
    patterns, problems = _url_patterns()
    in_table = {row.name for row in ENDPOINTS}
    for name, (route, parameters) in sorted(patterns.items()):
        if parameters and name not in FILLERS:
            problems.append(f"URL pattern {name!r} ({route}) has parameters "
                            f"{sorted(parameters)}: add a filler to FILLERS")
        if name not in in_table:
            problems.append(f"URL pattern {name!r} ({route}) is not in ENDPOINTS: add a row "
                            f"saying who may open it")
    for name in sorted((in_table | set(FILLERS)) - set(patterns)):
        problems.append(f"{name!r} is in the table but no URL pattern has that name")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_each_role_as_the_table_says(cast: Cast, role: str) -> None:
    # Reads first: a POST the role may make changes what later rows would see. A row whose
    # URL is gone fails test_every_url_pattern_is_in_the_table, not every role here.
    patterns, _problems = _url_patterns()
    rows = sorted((row for row in ENDPOINTS if row.name in patterns),
                  key=lambda row: row.method != "GET")
    problems = [problem for row in rows for problem in ask(cast, role, row)]
    assert not problems, "\n".join(problems)


# --- bugs the table found (fixed) -----------------------------------------------------------------

@pytest.mark.django_db
def test_the_api_fetches_a_dataset_with_several_public_versions(cast: Cast) -> None:
    response = Client().get(reverse("api:get_factor", args=[PUBLIC_FACTOR]))
    assert response.status_code == 200
    assert len(response.json()["versions"]) > 1


@pytest.mark.django_db
def test_an_enterprise_cannot_link_a_dataset_it_may_not_see(cast: Cast) -> None:
    study = cast.objects["study"]
    response = _client(cast, "member_a").post(
        reverse("studies:link", args=[study.pk, "electricity_grid"]),
        {"action": "dataset", "code": DRAFT_DATASET})
    assert response.status_code == 404  # like a code that does not exist
    assert not study.links.exists()

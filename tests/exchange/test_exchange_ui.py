"""The enterprise's exchange pages: share a verified study, give a customer credentials
(the secret shown once), grant footprints, answer a request from the inbox, download and
import PACT JSON files, register a supplier; the supplier's data quality shown where the
footprint is used."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from world_fixtures import World

from tests.exchange.exchange_fixtures import Shared, shared, token_of
from yuntan.pact import request_created_event, validate
from yuntan.platform.exchange.models import (
    Customer,
    FootprintRequest,
    ReceivedFootprint,
    SharedFootprint,
    Supplier,
)
from yuntan.platform.studies.models import Study, SupplierFootprint

__all__ = ["shared"]


def _as(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _example(version: str, name: str) -> Any:
    text = resources.files(f"yuntan.data.pact.v{version}").joinpath(name).read_text("utf-8")
    return json.loads(text)


@pytest.mark.django_db
def test_sharing_from_the_page_and_customer_credentials(shared: Shared, world: World) -> None:
    client = _as(world, "admin_a")
    home = client.get(reverse("exchange:home")).content.decode()
    assert str(shared.footprint.id) in home
    created = client.post(reverse("exchange:customers"), {"name": "Käufer AG"})
    assert created.status_code == 200
    secret = created.context["new_secret"]
    customer = Customer.objects.get(name="Käufer AG")
    assert secret in created.content.decode() and customer.secret_sha256 not in \
        created.content.decode()
    listing = client.get(reverse("exchange:customers")).content.decode()
    assert customer.client_id in listing and secret not in listing  # shown once
    client.post(reverse("exchange:customer", args=[customer.pk]),
                {"action": "grant", "footprints": [str(shared.footprint.id)]})
    token = token_of(customer, secret)
    listed = Client().get("/3/footprints", HTTP_AUTHORIZATION=f"Bearer {token}", secure=True)
    assert [pf["id"] for pf in listed.json()["data"]] == [str(shared.footprint.id)]
    # Enterprise B cannot see or change A's customer.
    assert _as(world, "admin_b").get(reverse("exchange:customer", args=[customer.pk])) \
        .status_code == 404


@pytest.mark.django_db
def test_the_pact_json_file_is_the_served_document(shared: Shared, world: World) -> None:
    client = _as(world, "member_a")
    for version in ("3", "2"):
        response = client.get(reverse("exchange:footprint-file",
                                      args=[shared.footprint.id, version]))
        document = json.loads(response.content)
        validate(document, "ProductFootprint", version)
        assert document["id"] == str(shared.footprint.id)
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_answering_a_request_from_the_inbox(shared: Shared, world: World,
                                            django_capture_on_commit_callbacks: Any) -> None:
    event = request_created_event(
        "3", {"productId": shared.footprint.document_v3["productIds"]},
        source="//buyer.example")
    row = FootprintRequest.objects.create(
        organisation=world.orgs["enterprise_a"], customer=shared.customer, version="3",
        event_id=event["id"], source=event["source"], our_source="//testserver", body=event)
    client = _as(world, "member_a")
    page = client.get(reverse("exchange:request", args=[row.pk])).content.decode()
    assert str(shared.footprint.id) in page and 'id="fulfil"' in page
    assert _as(world, "verifier").get(reverse("exchange:request", args=[row.pk])) \
        .status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange:request", args=[row.pk]),
                    {"action": "fulfil", "footprints": [str(shared.footprint.id)]})
    row.refresh_from_db()
    assert row.status == "fulfilled"
    validate(row.answer, "RequestFulfilledEvent", "3")
    assert row.answer["data"]["requestEventId"] == event["id"]
    # The customer has no host registered: the failure is recorded, the answer kept.
    assert row.delivery == "failed" and row.last_error
    again = client.post(reverse("exchange:request", args=[row.pk]),
                        {"action": "reject", "code": "BadRequest", "message": "x"})
    assert again.status_code == 302
    row.refresh_from_db()
    assert row.status == "fulfilled"  # answered once only


@pytest.mark.django_db
def test_importing_pact_files_of_both_versions(study: Study, world: World) -> None:
    client = _as(world, "admin_a")
    v3 = _example("3", "example-1.json")
    v2 = _example("2", "get-footprint-response.json")
    response = client.post(reverse("exchange:suppliers"), {
        "action": "import", "file": SimpleUploadedFile(
            "pcfs.json", json.dumps([v3, v2["data"]]).encode(), "application/json")})
    assert response.status_code == 302
    rows = ReceivedFootprint.objects.filter(organisation=world.orgs["enterprise_a"])
    assert sorted(r.spec_version for r in rows) == ["2.0.0", "3.0.0"]
    footprint = SupplierFootprint.objects.get(pact__pf_id=v3["id"])
    assert footprint.supplier == "Company 1" and footprint.evidence.startswith("PACT ")
    # Again: nothing stored twice. A broken file: nothing at all, with the JSON path.
    client.post(reverse("exchange:suppliers"), {"action": "import", "file": SimpleUploadedFile(
        "again.json", json.dumps(v3).encode())})
    assert rows.count() == 2
    broken = {**v3, "id": "4b3c7a5e-0000-4000-8000-000000000001",
              "pcf": {**v3["pcf"], "declaredUnitOfMeasurement": "bushel"}}
    refused = client.post(reverse("exchange:suppliers"), {
        "action": "import", "file": SimpleUploadedFile(
            "bad.json", json.dumps([broken, {**v3, "id": "4b3c7a5e-0000-4000-8000-0000000000"
                                                   "02"}]).encode())})
    assert refused.status_code == 400 and "declaredUnitOfMeasurement" in \
        refused.content.decode()
    assert rows.count() == 2
    # The supplier's data quality shows where an input is linked.
    page = client.get(reverse("studies:link", args=[study.pk, "alumina"])).content.decode()
    assert "PACT 3.0.0" in page or "PACT 2.0.0" in page
    assert _as(world, "admin_b").get(reverse("exchange:suppliers")).content.decode().count(
        "Company 1") == 0


@pytest.mark.django_db
def test_registering_a_supplier_keeps_its_secret_encrypted(world: World,
                                                           settings: Any) -> None:
    client = _as(world, "admin_a")
    response = client.post(reverse("exchange:suppliers"), {
        "action": "add", "name": "云铝", "base_url": "https://pact.supplier.example",
        "version": "2", "client_id": "abc", "secret": "s3cret-value"})
    supplier = Supplier.objects.get()
    assert response["Location"] == reverse("exchange:supplier", args=[supplier.pk])
    assert "s3cret-value" not in supplier.secret and supplier.version == "2"
    page = client.get(reverse("exchange:supplier", args=[supplier.pk])).content.decode()
    assert "s3cret-value" not in page
    refused = client.post(reverse("exchange:suppliers"), {
        "action": "add", "name": "x", "base_url": "http://plain.example", "version": "3",
        "client_id": "a", "secret": "b"})
    assert refused.status_code == 400 and Supplier.objects.count() == 1
    assert _as(world, "member_a").post(reverse("exchange:supplier", args=[supplier.pk]), {
        "action": "request", "product_ids": ""}).status_code == 302
    assert not supplier.requests.exists()  # no product named: refused with a message


@pytest.mark.django_db
def test_only_the_enterprises_people_use_the_exchange(shared: Shared, world: World) -> None:
    for role in ("verifier", "certifier", "province_viewer", "curator", "outsider"):
        assert _as(world, role).get(reverse("exchange:home")).status_code == 403
    assert _as(world, "admin_b").get(reverse("exchange:footprint", args=[
        shared.footprint.id])).status_code == 404
    assert SharedFootprint.objects.count() == 1


@pytest.mark.django_db
def test_a_counted_product_is_shared_with_its_mass(world: World, settings: Any,
                                                   tmp_path: Any) -> None:
    """A stem of rose: PACT needs the mass per declared unit, which the enterprise gives
    when sharing (v3 declares 1 piece; v2, without pieces, the stems' mass in kg)."""
    import datetime
    from io import StringIO

    from django.core.management import call_command

    from tests.exchange.exchange_fixtures import verify
    from tests.rules.rules_fixtures import COMPLETE
    from yuntan.platform.factors.actions import load_shipped_factors
    from yuntan.platform.studies.models import Product

    settings.DATA_DIR = tmp_path
    load_shipped_factors()
    call_command("label_keys", "--rotate", stdout=StringIO())
    product = Product.objects.create(organisation=world.orgs["enterprise_a"], name_zh="玫瑰",
                                     rule_pack_id="cut-roses", variant="farm-gate")
    roses = Study.objects.create(product=product, period_start=datetime.date(2022, 1, 1),
                                 period_end=datetime.date(2022, 12, 31),
                                 rule_pack_id="cut-roses", rule_pack_version="1.0.0",
                                 variant="farm-gate", created_by=world.users["admin_a"])
    verify(roses, world, data=COMPLETE["cut-roses"])
    client = _as(world, "admin_a")
    refused = client.post(reverse("exchange:share", args=[roses.pk]))
    assert refused.status_code == 302 and not SharedFootprint.objects.exists()
    assert client.post(reverse("exchange:share", args=[roses.pk]),
                       {"mass_kg": "abc"}).status_code == 302
    assert not SharedFootprint.objects.exists()
    client.post(reverse("exchange:share", args=[roses.pk]), {"mass_kg": "0.05"})
    shared = SharedFootprint.objects.get()
    pcf = shared.document_v3["pcf"]
    assert (pcf["declaredUnitOfMeasurement"], pcf["productMassPerDeclaredUnit"]) == (
        "piece", "0.05")
    validate(shared.document_v3, "ProductFootprint", "3")
    if shared.document_v2 is not None:
        assert shared.document_v2["pcf"]["declaredUnit"] == "kilogram"
    else:
        assert shared.v2_note  # (why v2 could not say it)

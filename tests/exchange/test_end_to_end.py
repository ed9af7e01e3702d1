"""Two enterprises on one platform exchange a footprint over PACT, over TLS with a
self-signed certificate: the buyer (A) asks its supplier (B) for a product's footprint,
B fulfils the request from its inbox, the answer reaches A's host, and A uses the footprint
as primary data in a study. Then the same over a pull, and what plain HTTP gets."""

from __future__ import annotations

import datetime
import http.client
import ssl
from typing import Any

import pytest
from django.test import override_settings
from world_fixtures import World

from tests.exchange.exchange_fixtures import verify
from tests.exchange.tls_server import TlsServer, tls_server
from tests.studies.studies_data import ALUMINIUM
from yuntan.pact.client import PactClient, TlsError
from yuntan.platform.exchange import inbox, services, suppliers
from yuntan.platform.exchange.models import FootprintRequest, OutgoingRequest, ReceivedFootprint
from yuntan.platform.studies.models import Product, Study
from yuntan.platform.studies.services import compute_result, set_activity, set_link

__all__ = ["tls_server"]


@pytest.fixture
def keys(settings: Any, tmp_path: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    settings.YUNTAN_JOBS_BACKEND = "inline"
    call_command("label_keys", "--rotate", stdout=StringIO())


def _supplier_footprint(world: World, host: str) -> Any:
    """B (the supplier) verifies and shares the footprint of its product."""
    product = Product.objects.create(organisation=world.orgs["enterprise_b"],
                                     name_zh="乙氟化铝", name_en="B's aluminium fluoride",
                                     rule_pack_id="electrolytic-aluminium", variant="ingot")
    study = Study.objects.create(product=product, period_start=datetime.date(2022, 1, 1),
                                 period_end=datetime.date(2022, 12, 31),
                                 rule_pack_id="electrolytic-aluminium",
                                 rule_pack_version="1.0.0", variant="ingot",
                                 created_by=world.users["admin_b"])
    verify(study, world, owner="admin_b")
    study.refresh_from_db()
    return services.share(study, world.users["admin_b"], host)


@pytest.mark.django_db(transaction=True)
def test_request_fulfil_and_use_in_a_study_over_tls(tls_server: TlsServer, world: World,
                                                   study: Study, keys: None,
                                                   settings: Any) -> None:
    settings.YUNTAN_PACT_CA_FILE = str(tls_server.ca_file)
    a_admin, b_admin = world.users["admin_a"], world.users["admin_b"]
    shared = _supplier_footprint(world, tls_server.host)

    # Credentials both ways: B lets A read (and request); A lets B send answers back.
    a_at_b, a_secret = services.create_customer(world.orgs["enterprise_b"], "甲铝业 A",
                                                b_admin)
    b_at_a, b_secret = services.create_customer(world.orgs["enterprise_a"], "乙 B", a_admin)
    a_at_b.events_host = tls_server.url
    a_at_b.events_client_id = b_at_a.client_id
    a_at_b.events_secret = services.encrypt(b_secret)
    a_at_b.save()
    supplier = suppliers.add_supplier(world.orgs["enterprise_a"], a_admin, name="乙 B",
                                      base_url=tls_server.url, version="3",
                                      client_id=a_at_b.client_id, secret=a_secret)

    # A asks for B's product; the request lands in B's inbox over TLS.
    sent = suppliers.send_request(supplier, a_admin, tls_server.host,
                                  shared.document_v3["productIds"], "2022 please")
    sent.refresh_from_db()
    assert sent.status == "sent", sent.error
    received = FootprintRequest.objects.get(organisation=world.orgs["enterprise_b"])
    assert received.status == "open" and received.comment == "2022 please"

    # B fulfils; the answer goes to A's host (over TLS) and A keeps the footprint.
    inbox.fulfil(received, [shared], b_admin)
    received.refresh_from_db()
    assert received.delivery == "delivered", received.last_error
    sent.refresh_from_db()
    assert sent.status == "fulfilled"
    kept = ReceivedFootprint.objects.get(organisation=world.orgs["enterprise_a"])
    assert str(kept.pf_id) == str(shared.id) and kept.source == "event"
    footprint = kept.supplier_footprint
    result_b = shared.result
    headline = result_b.outcome["results"][result_b.outcome["headline"]]
    per_kg = headline["biogenic_split"]["excluding_biogenic_uptake"] / 1000  # our 1 t → kg
    assert (footprint.unit, footprint.kg_co2e_per_unit) == ("kg", pytest.approx(per_kg))
    assert kept.pcf.assured and kept.pcf.assurance_provider in kept.quality_text()

    # A uses it as primary data for its aluminium fluoride input.
    set_activity(study, {**ALUMINIUM, "aluminium_fluoride": (18, "t")}, a_admin, "form")
    set_link(study, "aluminium_fluoride", footprint, a_admin)
    result = compute_result(study, a_admin, "with the supplier's PACT footprint")
    used = result.inputs["factors"]
    assert any(f["version"] == str(footprint.pk) and f["values"][0][2] == pytest.approx(per_kg)
               for f in used.values()), used

    # A pull finds the same footprint (granted when fulfilled): nothing new.
    assert suppliers.pull(supplier, a_admin) == {"footprints": 1, "new": 0}
    assert OutgoingRequest.objects.count() == 1
    # The same supplier over v2.3: the v2 form of the footprint, kept beside the v3 one.
    over_v2 = suppliers.add_supplier(world.orgs["enterprise_a"], a_admin, name="乙 B (v2)",
                                     base_url=tls_server.url, version="2",
                                     client_id=a_at_b.client_id, secret=a_secret)
    assert suppliers.pull(over_v2, a_admin) == {"footprints": 1, "new": 1}
    v2 = ReceivedFootprint.objects.get(supplier=over_v2)
    assert v2.spec_version.startswith("2.") and v2.supplier_footprint.kg_co2e_per_unit == \
        pytest.approx(headline["biogenic_split"]["excluding_biogenic_co2"] / 1000)


@pytest.mark.django_db(transaction=True)
def test_tls_is_required_and_verified(tls_server: TlsServer, world: World,
                                      keys: None) -> None:
    customer, secret = services.create_customer(world.orgs["enterprise_a"], "x",
                                                world.users["admin_a"])
    # Our client with the right CA authenticates; without it, the certificate is refused.
    client = PactClient(tls_server.url, customer.client_id, secret, "3",
                        ca_file=tls_server.ca_file, allow_private_hosts=True)
    assert list(client.list_footprints()) == []
    with pytest.raises(TlsError):
        list(PactClient(tls_server.url, customer.client_id, secret, "3",
                        allow_private_hosts=True).list_footprints())
    # Plain HTTP to the TLS port gets no answer at all.
    plain = http.client.HTTPConnection("localhost", int(tls_server.host.split(":")[1]),
                                       timeout=5)
    with pytest.raises((http.client.HTTPException, ConnectionError, OSError)):
        plain.request("POST", "/auth/token", "grant_type=client_credentials")
        plain.getresponse().read()
    assert ssl  # (the server's context is TLS 1.2+ by default)


@override_settings(YUNTAN_PACT_REQUIRE_HTTPS=True)
def test_a_supplier_on_plain_http_is_refused(db: None, world: World) -> None:
    with pytest.raises(services.ExchangeError):
        suppliers.add_supplier(world.orgs["enterprise_a"], world.users["admin_a"], name="s",
                               base_url="http://pact.supplier.example", version="3",
                               client_id="c", secret="s")


@pytest.mark.django_db(transaction=True)
def test_without_credentials_the_answer_is_posted_without_a_token(tls_server: TlsServer,
                                                                   world: World, keys: None,
                                                                   settings: Any) -> None:
    """The spec only recommends authentication on the events endpoint: with no credentials
    registered for the customer's host, the answer is posted without a token, over
    verified TLS. Our own host does require one: the 401 is recorded, not retried."""
    settings.YUNTAN_PACT_CA_FILE = str(tls_server.ca_file)
    requester, _secret = services.create_customer(world.orgs["enterprise_a"], "Open buyer",
                                                  world.users["admin_a"])
    requester.events_host = tls_server.url
    requester.save()
    row = FootprintRequest.objects.create(
        organisation=world.orgs["enterprise_a"], customer=requester, version="3",
        event_id="ev-1", source=f"//{tls_server.host}", our_source=f"//{tls_server.host}",
        body={"data": {"productId": ["urn:pact:null"]}})
    inbox.reject(row, "NotFound", "unknown product", None)
    row.refresh_from_db()
    assert row.delivery == "failed" and "HTTP 401" in row.last_error and row.attempts == 1

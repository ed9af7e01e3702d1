"""The PACT host (v3.0 and v2.3): authentication, discovery, ListFootprints with filters
and pagination, GetFootprint, Events — every response validated against the official
OpenAPI files; bad tokens, other customers' ids, malformed events and plain HTTP refused."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from world_fixtures import World

from tests.exchange.exchange_fixtures import Shared, basic, call, shared, token_of, verify
from yuntan.pact import parse_footprint, request_created_event, validate
from yuntan.platform.exchange import services
from yuntan.platform.exchange.models import AccessToken, FootprintRequest
from yuntan.platform.studies.models import Product, Study

__all__ = ["shared"]  # the fixture, imported for pytest

LIST = {"3": "/3/footprints", "2": "/2/footprints"}
ONE = {"3": "/3/footprints/{id}", "2": "/2/footprints/{id}"}
EVENTS = {"3": "/3/events", "2": "/2/events"}
CE = "application/cloudevents+json; charset=UTF-8"


# --- authentication -----------------------------------------------------------------------

@pytest.mark.django_db
def test_the_token_endpoint_follows_the_client_credentials_grant(shared: Shared) -> None:
    good = basic(shared.customer.client_id, shared.secret)
    response = Client().post("/auth/token", {"grant_type": "client_credentials"},
                             HTTP_AUTHORIZATION=good, secure=True)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert response["Cache-Control"] == "no-store"
    assert not AccessToken.objects.filter(sha256=body["access_token"]).exists()  # hashed
    for headers, data in (
            ({"HTTP_AUTHORIZATION": basic(shared.customer.client_id, "wrong")},
             {"grant_type": "client_credentials"}),
            ({}, {"grant_type": "client_credentials"}),
            ({"HTTP_AUTHORIZATION": "Basic !!!"}, {"grant_type": "client_credentials"})):
        refused = Client().post("/auth/token", data, secure=True, **headers)
        assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
        assert refused["WWW-Authenticate"].startswith("Basic")
    wrong_grant = Client().post("/auth/token", {"grant_type": "password"},
                                HTTP_AUTHORIZATION=good, secure=True)
    assert wrong_grant.json()["error"] == "unsupported_grant_type"


@pytest.mark.django_db
def test_plain_http_gets_no_token_and_no_data(shared: Shared) -> None:
    good = basic(shared.customer.client_id, shared.secret)
    response = Client().post("/auth/token", {"grant_type": "client_credentials"},
                             HTTP_AUTHORIZATION=good)
    assert response.status_code == 400 and "access_token" not in response.json()
    token = token_of(shared.customer, shared.secret)
    for version in ("3", "2"):
        for path in (f"/{version}/footprints", f"/{version}/footprints/{shared.footprint.id}"):
            refused = call("get", path, token, secure=False, check=(
                version, LIST[version] if path.endswith("footprints") else ONE[version],
                "get"))
            assert refused.status_code == 403
            assert str(shared.footprint.id) not in refused.content.decode()
    assert Client().get("/.well-known/openid-configuration").status_code == 400


@pytest.mark.django_db
def test_discovery_names_the_token_endpoint(shared: Shared) -> None:
    document = Client().get("/.well-known/openid-configuration", secure=True).json()
    assert document["token_endpoint"] == "https://testserver/auth/token"
    assert "client_credentials" in document["grant_types_supported"]
    keys = Client().get(urlsplit(document["jwks_uri"]).path, secure=True)
    assert keys.json() == {"keys": []}


# --- footprints ---------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("version", ["3", "2"])
def test_a_customer_lists_and_gets_what_it_was_granted(shared: Shared, version: str) -> None:
    token = token_of(shared.customer, shared.secret)
    listed = call("get", f"/{version}/footprints", token, check=(version, LIST[version], "get"))
    assert listed.status_code == 200
    assert [pf["id"] for pf in listed.json()["data"]] == [str(shared.footprint.id)]
    one = call("get", f"/{version}/footprints/{shared.footprint.id}", token,
               check=(version, ONE[version], "get"))
    assert one.status_code == 200
    pcf = parse_footprint(one.json()["data"])
    result = shared.study.latest_result()
    # Our declared unit is 1 t; PACT's is 1 kg: the figure per kg is the result / 1000.
    assert pcf.co2e_kg_per_declared_unit * 1000 == pytest.approx(
        result.outcome["results"][result.outcome["headline"]]["biogenic_split"][
            "excluding_biogenic_uptake" if version == "3" else "excluding_biogenic_co2"],
        rel=1e-9)
    assert pcf.assured and pcf.assurance_provider


@pytest.mark.django_db
def test_the_document_traces_to_the_result_and_the_label(shared: Shared) -> None:
    pf = shared.footprint.document_v3
    result = shared.study.latest_result()
    assert result.inputs_sha256 in pf["comment"]
    assert pf["pcf"]["verification"]["comments"].startswith("Yuntan label YN-CFP-")
    assert pf["pcf"]["geographyCountrySubdivision"] == "CN-YN"
    assert pf["pcf"]["ipccCharacterizationFactors"] == ["AR6"]


@pytest.mark.django_db
def test_other_customers_and_other_enterprises_see_nothing(shared: Shared,
                                                           world: World) -> None:
    other, secret = services.create_customer(world.orgs["enterprise_a"], "Other buyer",
                                             world.users["admin_a"])
    token = token_of(other, secret)
    for version in ("3", "2"):
        listed = call("get", f"/{version}/footprints", token,
                      check=(version, LIST[version], "get"))
        assert listed.json() == {"data": []}
        denied = call("get", f"/{version}/footprints/{shared.footprint.id}", token,
                      check=(version, ONE[version], "get"))
        assert denied.status_code == 403 and denied.json()["code"] == "AccessDenied"
        missing = call("get", f"/{version}/footprints/{uuid.uuid4()}", token,
                       check=(version, ONE[version], "get"))
        assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
        assert call("get", f"/{version}/footprints/not-a-uuid", token).status_code == 404
    # A customer of enterprise B granted A's footprint by mistake still sees nothing of A.
    b_customer, b_secret = services.create_customer(world.orgs["enterprise_b"], "B's buyer",
                                                    world.users["admin_b"])
    b_customer.footprints.add(shared.footprint)
    assert call("get", "/3/footprints", token_of(b_customer, b_secret)).json() == {"data": []}


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["3", "2"])
def test_bad_expired_and_revoked_tokens_are_refused(shared: Shared, version: str) -> None:
    status = 401 if version == "3" else 400
    for token in (None, "nonsense"):
        refused = call("get", f"/{version}/footprints", token,
                       check=(version, LIST[version], "get"))
        assert refused.status_code == status and refused.json()["code"] == "BadRequest"
    token = token_of(shared.customer, shared.secret)
    AccessToken.objects.update(expires_at="2020-01-01T00:00:00Z")
    expired = call("get", f"/{version}/footprints/{shared.footprint.id}", token,
                   check=(version, ONE[version], "get"))
    assert expired.status_code == 401 and expired.json()["code"] == "TokenExpired"
    token = token_of(shared.customer, shared.secret)
    services.revoke_customer(shared.customer)
    assert call("get", f"/{version}/footprints", token).status_code == status
    assert Client().post("/auth/token", {"grant_type": "client_credentials"},
                         HTTP_AUTHORIZATION=basic(shared.customer.client_id, shared.secret),
                         secure=True).status_code == 401


def _more_footprints(shared: Shared, world: World, n: int) -> list[str]:
    """n more verified products of A, shared and granted; their ids in creation order."""
    ids = [str(shared.footprint.id)]
    for i in range(n):
        product = Product.objects.create(organisation=world.orgs["enterprise_a"],
                                         name_zh=f"铝锭{i}", rule_pack_id="electrolytic-aluminium",
                                         variant="ingot")
        study = Study.objects.create(product=product, period_start=shared.study.period_start,
                                     period_end=shared.study.period_end,
                                     rule_pack_id="electrolytic-aluminium",
                                     rule_pack_version="1.0.0", variant="ingot",
                                     created_by=world.users["admin_a"])
        verify(study, world)
        study.refresh_from_db()
        footprint = services.share(study, world.users["admin_a"], "testserver")
        shared.customer.footprints.add(footprint)
        ids.append(str(footprint.id))
    return ids


@pytest.mark.django_db
def test_pages_follow_the_link_header(shared: Shared, world: World) -> None:
    ids = _more_footprints(shared, world, 2)
    token = token_of(shared.customer, shared.secret)
    seen, url, pages = [], "/3/footprints?limit=2", 0
    while url:
        response = call("get", url, token, check=("3", LIST["3"], "get"))
        assert len(response.json()["data"]) <= 2
        seen += [pf["id"] for pf in response.json()["data"]]
        pages += 1
        link = response.get("Link")
        if link is None:
            break
        target, rel = link.split(";")
        assert rel.strip() == 'rel="next"'
        absolute = urlsplit(target.strip()[1:-1])
        assert (absolute.scheme, absolute.netloc) == ("https", "testserver")
        url = f"{absolute.path}?{absolute.query}"
    assert seen == ids and pages == 2
    assert call("get", "/3/footprints?limit=0", token).status_code == 400


@pytest.mark.django_db
def test_v3_filters_select_and_bad_filters_are_refused(shared: Shared, world: World) -> None:
    ids = _more_footprints(shared, world, 1)
    token = token_of(shared.customer, shared.secret)
    wanted = shared.footprint.document_v3["productIds"][0]
    found = call("get", f"/3/footprints?productId={wanted}", token,
                 check=("3", LIST["3"], "get")).json()["data"]
    assert [pf["id"] for pf in found] == [ids[0]]
    assert len(call("get", "/3/footprints?geography=CN", token).json()["data"]) == 2
    assert call("get", "/3/footprints?geography=US", token).json()["data"] == []
    assert call("get", "/3/footprints?status=Deprecated", token).json()["data"] == []
    bad = call("get", "/3/footprints?productId=not-a-urn", token,
               check=("3", LIST["3"], "get"))
    assert bad.status_code == 400 and bad.json()["code"] == "BadRequest"
    assert call("get", "/3/footprints?nonsense=1", token).status_code == 400
    # v2: the optional OData $filter is not implemented: answered as if none was given.
    assert len(call("get", "/2/footprints?$filter=created%20gt%202020", token,
                    check=("2", LIST["2"], "get")).json()["data"]) == 2


@pytest.mark.django_db
def test_a_new_share_deprecates_the_old_and_names_it(shared: Shared, world: World) -> None:
    from yuntan.platform.studies.services import compute_result

    with pytest.raises(services.ExchangeError):
        services.share(shared.study, world.users["admin_a"], "testserver")  # same result
    # A second verified study of the same product replaces the first.
    newer = Study.objects.create(product=shared.study.product,
                                 period_start=shared.study.period_start.replace(year=2023),
                                 period_end=shared.study.period_end.replace(year=2023),
                                 rule_pack_id="electrolytic-aluminium",
                                 rule_pack_version="1.0.0", variant="ingot",
                                 created_by=world.users["admin_a"])
    verify(newer, world)
    newer.refresh_from_db()
    replacement = services.share(newer, world.users["admin_a"], "testserver")
    shared.footprint.refresh_from_db()
    assert shared.footprint.status == "Deprecated"
    assert shared.footprint.document_v3["status"] == "Deprecated"
    assert shared.footprint.document_v2["version"] == 2 and shared.footprint.document_v2[
        "updated"]
    assert replacement.document_v3["precedingPfIds"] == [str(shared.footprint.id)]
    token = token_of(shared.customer, shared.secret)
    listed = call("get", "/3/footprints", token, check=("3", LIST["3"], "get")).json()["data"]
    assert {pf["status"] for pf in listed} == {"Active", "Deprecated"}
    active = call("get", "/3/footprints?status=Active", token).json()["data"]
    assert [pf["id"] for pf in active] == [str(replacement.id)]
    assert compute_result  # the result is the verified one; nothing recomputed here


# --- events -------------------------------------------------------------------------------

def _request(version: str, product_ids: list[str]) -> str:
    criteria = {"productId": product_ids} if version == "3" else {"productIds": product_ids}
    return json.dumps(request_created_event(version, criteria, source="//buyer.example/pact",
                                            comment="需要 2022 年数据"))


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["3", "2"])
def test_a_request_for_a_known_product_lands_in_the_inbox(shared: Shared, version: str,
                                                           world: World) -> None:
    # A new customer, granted nothing yet: the enterprise decides in its inbox.
    newcomer, secret = services.create_customer(world.orgs["enterprise_a"], "New buyer",
                                                world.users["admin_a"])
    token = token_of(newcomer, secret)
    product = shared.footprint.document_v3["productIds"]
    response = call("post", f"/{version}/events", token, data=_request(version, product),
                    content_type=CE, check=(version, EVENTS[version], "post"))
    assert response.status_code == 200 and response.content == b""
    row = FootprintRequest.objects.get()
    assert (row.status, row.version, row.comment) == ("open", version, "需要 2022 年数据")
    again = call("post", f"/{version}/events", token, data=json.dumps(row.body),
                 content_type=CE)
    assert again.status_code == 200 and FootprintRequest.objects.count() == 1  # idempotent


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["3", "2"])
def test_a_request_for_what_the_customer_may_read_is_fulfilled_at_once(
        shared: Shared, version: str, django_capture_on_commit_callbacks: Any) -> None:
    token = token_of(shared.customer, shared.secret)
    product = shared.footprint.document_v3["productIds"]
    with django_capture_on_commit_callbacks(execute=True):
        call("post", f"/{version}/events", token, data=_request(version, product),
             content_type=CE)
    row = FootprintRequest.objects.get()
    assert row.status == "fulfilled" and row.answered_by is None
    validate(row.answer, "RequestFulfilledEvent", version)
    assert [pf["id"] for pf in row.answer["data"]["pfs"]] == [str(shared.footprint.id)]


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["3", "2"])
def test_unknown_products_are_rejected_at_once(shared: Shared, version: str,
                                              django_capture_on_commit_callbacks: Any) -> None:
    token = token_of(shared.customer, shared.secret)
    for products in (["urn:pact:null"], ["urn:pact:elsewhere.example:product-id:9"]):
        with django_capture_on_commit_callbacks(execute=True):  # the delivery job
            response = call("post", f"/{version}/events", token,
                            data=_request(version, products), content_type=CE,
                            check=(version, EVENTS[version], "post"))
        assert response.status_code == 200
    rows = FootprintRequest.objects.all()
    assert [r.status for r in rows] == ["rejected", "rejected"]
    for row in rows:
        assert row.answer["data"]["error"]["code"] == "NotFound"
        # No host registered for this customer: recorded, not lost.
        assert row.delivery == "failed" and row.last_error


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["3", "2"])
def test_malformed_events_get_400(shared: Shared, version: str) -> None:
    token = token_of(shared.customer, shared.secret)
    good = json.loads(_request(version, shared.footprint.document_v3["productIds"]))
    for body, content_type in (
            ("not json", CE),
            (json.dumps({**good, "type": "org.example.Unknown"}), CE),
            (json.dumps({k: v for k, v in good.items() if k != "id"}), CE),
            (json.dumps({**good, "data": {"nonsense": True}}), CE),
            (json.dumps(good), "application/json")):
        response = call("post", f"/{version}/events", token, data=body,
                        content_type=content_type, check=(version, EVENTS[version], "post"))
        assert response.status_code == 400, body
        assert response.json()["code"] == "BadRequest"
    assert FootprintRequest.objects.count() == 0
    assert call("post", f"/{version}/events", None, data=json.dumps(good),
                content_type=CE).status_code in (400, 401)


@pytest.mark.django_db
def test_a_source_off_the_customers_registered_host_is_refused(shared: Shared) -> None:
    shared.customer.events_host = "https://pact.buyer.example"
    shared.customer.save()
    token = token_of(shared.customer, shared.secret)
    response = call("post", "/3/events", token,
                    data=_request("3", shared.footprint.document_v3["productIds"]),
                    content_type=CE, check=("3", EVENTS["3"], "post"))
    assert response.status_code == 400 and "buyer.example" in response.json()["message"]


@pytest.mark.django_db
def test_answers_to_our_own_requests_are_taken_only_from_the_supplier(shared: Shared,
                                                                       world: World) -> None:
    from yuntan.pact import request_fulfilled_event, request_rejected_event
    from yuntan.platform.exchange.models import OutgoingRequest, ReceivedFootprint, Supplier

    # Enterprise A asked its supplier (on supplier.example) for a footprint; the supplier
    # answers on A's host with the credentials A gave it (here: shared.customer).
    supplier = Supplier.objects.create(
        organisation=world.orgs["enterprise_a"], name="S", base_url="https://supplier.example",
        client_id="c", secret=services.encrypt("s"), created_by=world.users["admin_a"])
    asked = OutgoingRequest.objects.create(
        organisation=world.orgs["enterprise_a"], supplier=supplier, event_id="req-1",
        body={}, created_by=world.users["admin_a"])
    token = token_of(shared.customer, shared.secret)
    document = shared.footprint.document_v3

    def post(body: dict[str, Any]) -> Any:
        return call("post", "/3/events", token, data=json.dumps(body), content_type=CE,
                    check=("3", EVENTS["3"], "post"))

    unknown = request_fulfilled_event("3", "req-404", [document], source="//supplier.example")
    assert post(unknown).status_code == 400
    elsewhere = request_fulfilled_event("3", "req-1", [document], source="//evil.example")
    assert post(elsewhere).status_code == 400
    assert not ReceivedFootprint.objects.exists()
    answer = request_fulfilled_event("3", "req-1", [document], source="//supplier.example")
    assert post(answer).status_code == 200
    asked.refresh_from_db()
    assert asked.status == "fulfilled"
    assert ReceivedFootprint.objects.get().supplier == supplier
    second = OutgoingRequest.objects.create(
        organisation=world.orgs["enterprise_a"], supplier=supplier, event_id="req-2",
        body={}, created_by=world.users["admin_a"])
    rejected = request_rejected_event("3", "req-2", "NotFound", "no such product",
                                      source="//supplier.example")
    assert post(rejected).status_code == 200
    second.refresh_from_db()
    assert second.status == "rejected" and "no such product" in second.error


@pytest.mark.django_db
def test_a_published_event_is_acknowledged_and_pulls_from_a_registered_supplier(
        shared: Shared, world: World, monkeypatch: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    from yuntan.pact import published_event
    from yuntan.platform.exchange import suppliers
    from yuntan.platform.exchange.models import Supplier

    pulled: list[str] = []
    monkeypatch.setattr(suppliers, "pull", lambda supplier, user: pulled.append(
        supplier.name) or {"footprints": 0, "new": 0})
    token = token_of(shared.customer, shared.secret)
    notice = published_event("3", [str(uuid.uuid4())], source="//unknown.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = call("post", "/3/events", token, data=json.dumps(notice), content_type=CE,
                        check=("3", EVENTS["3"], "post"))
    assert response.status_code == 200 and pulled == []  # nothing of ours there
    Supplier.objects.create(
        organisation=world.orgs["enterprise_a"], name="S", base_url="https://unknown.example",
        client_id="c", secret=services.encrypt("s"), created_by=world.users["admin_a"])
    with django_capture_on_commit_callbacks(execute=True):
        call("post", "/3/events", token, data=json.dumps(notice), content_type=CE)
    assert pulled == ["S"]


@pytest.mark.django_db
def test_revoking_the_label_deprecates_the_shared_footprint(shared: Shared,
                                                            world: World) -> None:
    from yuntan.platform.labels.actions import set_status

    assert shared.footprint.label is not None
    set_status(shared.footprint.label, world.users["certifier"], "revoked", "数据造假")
    shared.footprint.refresh_from_db()
    assert shared.footprint.status == "Deprecated"
    assert "revoked" in shared.footprint.document_v2["statusComment"]
    token = token_of(shared.customer, shared.secret)
    listed = call("get", "/3/footprints?status=Active", token,
                  check=("3", LIST["3"], "get"))
    assert listed.json() == {"data": []}


@pytest.mark.django_db
def test_the_yuntan_extension_carries_the_label_and_follows_its_published_schema(
        shared: Shared) -> None:
    from jsonschema import Draft202012Validator, FormatChecker

    for document in (shared.footprint.document_v3, shared.footprint.document_v2):
        (extension,) = document["extensions"]
        schema_url = urlsplit(extension["dataSchema"])
        assert (schema_url.scheme, schema_url.netloc) == ("https", "testserver")
        schema = Client().get(schema_url.path).json()  # public, no sign-in
        Draft202012Validator(schema, format_checker=FormatChecker()).validate(
            extension["data"])
        data = extension["data"]
        label = shared.footprint.label
        assert data["labelNumber"] == label.number
        assert urlsplit(data["labelUrl"]).path == f"/labels/{label.number}/"
        result = shared.footprint.result
        assert data["resultInputsSha256"] == result.inputs_sha256
        assert float(data["footprints"][result.outcome["headline"]]) == pytest.approx(
            result.total_kg_co2e)
        assert data["declaredUnit"] == "1 t"
    assert Client().get("/exchange/extensions/other.json").status_code == 404

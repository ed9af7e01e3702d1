"""yuntan.pact.client against a real local HTTPS PACT host (pact_server.FakePactHost)."""

from __future__ import annotations

import base64
import copy
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import trustme
from pact_fixtures import aluminium
from pact_server import CLIENT_ID, CLIENT_SECRET, FakePactHost, Reply

from yuntan.pact import (
    InvalidFilter,
    MalformedEvent,
    error_response,
    published_event,
    to_v2,
    to_v3,
)
from yuntan.pact.client import (
    AuthenticationFailed,
    ConnectionFailed,
    HttpError,
    InsecureUrl,
    InvalidResponse,
    PactClient,
    PactClientError,
    TlsError,
    next_links,
)

SOURCE = "//pact.yuntan.example/3/events"


def footprint_id(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"


def footprints(version: str, count: int = 5) -> list[dict[str, Any]]:
    write = to_v3 if version == "3" else to_v2
    return [write(aluminium(id=UUID(footprint_id(i)))) for i in range(count)]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "intranet-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(scope="module")
def cert(ca: trustme.CA) -> trustme.LeafCert:
    return ca.issue_cert("127.0.0.1", "localhost")


@pytest.fixture(scope="module", params=["3", "2"])
def version(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def data(version: str) -> list[dict[str, Any]]:
    return footprints(version)


@pytest.fixture
def host(version: str, data: list[dict[str, Any]], cert: trustme.LeafCert
         ) -> Iterator[FakePactHost]:
    with FakePactHost(version, data, cert=cert).running() as running:
        yield running


@pytest.fixture
def v3_host(cert: trustme.LeafCert) -> Iterator[FakePactHost]:
    with FakePactHost("3", footprints("3"), cert=cert).running() as running:
        yield running


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def connect(host: FakePactHost, ca_file: Path, **options: Any) -> tuple[PactClient, Sleeps]:
    sleeps = Sleeps()
    options.setdefault("sleep", sleeps)
    client = PactClient(host.base_url, CLIENT_ID, CLIENT_SECRET, host.version,
                        ca_file=ca_file, allow_private_hosts=True, **options)
    return client, sleeps


# -- authentication -------------------------------------------------------------------

def test_it_discovers_the_token_endpoint_and_authenticates_with_basic_auth(
        host: FakePactHost, ca_file: Path) -> None:
    client, _ = connect(host, ca_file)
    client.get_footprint(footprint_id(1))
    discovery, token, call = host.seen
    assert (discovery.method, discovery.path) == ("GET", "/.well-known/openid-configuration")
    assert (token.method, token.path) == ("POST", "/oauth/token")
    pair = base64.b64decode(token.headers["authorization"].removeprefix("Basic "))
    assert pair.decode() == f"{CLIENT_ID}:{CLIENT_SECRET}"
    assert token.headers["content-type"] == "application/x-www-form-urlencoded"
    assert token.body == b"grant_type=client_credentials"
    assert call.path == f"/{host.version}/footprints/{footprint_id(1)}"
    assert call.headers["authorization"] == "Bearer token-1"


def test_without_discovery_it_falls_back_to_auth_token(cert: trustme.LeafCert,
                                                       ca_file: Path) -> None:
    with FakePactHost("3", footprints("3", 1), cert=cert, discovery=False).running() as host:
        client, _ = connect(host, ca_file)
        assert client.get_footprint(footprint_id(0)).id == UUID(footprint_id(0))
        assert [s.path for s in host.seen] == [
            "/.well-known/openid-configuration", "/auth/token", f"/3/footprints/{footprint_id(0)}"]


def test_the_api_may_live_under_a_subpath_and_auth_elsewhere(cert: trustme.LeafCert,
                                                             ca_file: Path) -> None:
    with FakePactHost("3", footprints("3", 1), cert=cert, subpath="/pact",
                      discovery=False).running() as host:
        client, _ = connect(host, ca_file, auth_base_url=host.origin)
        list(client.list_footprints())
        assert [s.path for s in host.seen] == [
            "/.well-known/openid-configuration", "/auth/token", "/pact/3/footprints"]


def test_the_token_is_kept_between_calls(v3_host: FakePactHost, ca_file: Path) -> None:
    client, _ = connect(v3_host, ca_file)
    client.get_footprint(footprint_id(0))
    client.get_footprint(footprint_id(1))
    assert len(v3_host.calls("POST", "/oauth/token")) == 1
    assert len(v3_host.calls("GET", "/.well-known/openid-configuration")) == 1


def test_it_reauthenticates_once_when_the_token_expired(host: FakePactHost,
                                                        ca_file: Path) -> None:
    client, sleeps = connect(host, ca_file)
    client.get_footprint(footprint_id(0))
    host.revoke_tokens()
    assert client.get_footprint(footprint_id(2)).id == UUID(footprint_id(2))
    gets = [s.headers["authorization"] for s in host.seen if s.method == "GET"
            and "/footprints/" in s.path]
    assert gets == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]
    assert len(host.calls("POST", "/oauth/token")) == 2 and sleeps == []


def test_a_401_after_reauthenticating_is_raised(v3_host: FakePactHost, ca_file: Path) -> None:
    expired = Reply(401, {"code": "TokenExpired", "message": "The token has expired"})
    v3_host.queue(f"GET /3/footprints/{footprint_id(0)}", expired, expired)
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(AuthenticationFailed) as caught:
        client.get_footprint(footprint_id(0))
    assert (caught.value.status, caught.value.code) == (401, "TokenExpired")
    assert "again after re-authenticating" in caught.value.message
    assert len(v3_host.calls("GET", f"/3/footprints/{footprint_id(0)}")) == 2
    assert len(v3_host.calls("POST", "/oauth/token")) == 2


def test_a_token_about_to_expire_is_renewed_before_use(v3_host: FakePactHost,
                                                       ca_file: Path) -> None:
    now = [1000.0]
    client, _ = connect(v3_host, ca_file, clock=lambda: now[0])
    client.get_footprint(footprint_id(0))
    now[0] += 3600 - 31
    client.get_footprint(footprint_id(0))
    now[0] += 2
    client.get_footprint(footprint_id(0))
    used = [s.headers["authorization"]
            for s in v3_host.calls("GET", f"/3/footprints/{footprint_id(0)}")]
    assert used == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]  # no 401 needed
    assert len(v3_host.calls("POST", "/oauth/token")) == 2


def test_wrong_credentials_are_refused_without_retrying(v3_host: FakePactHost,
                                                        ca_file: Path) -> None:
    sleeps = Sleeps()
    client = PactClient(v3_host.base_url, CLIENT_ID, "wrong", ca_file=ca_file, sleep=sleeps,
                        allow_private_hosts=True)
    with pytest.raises(AuthenticationFailed) as caught:
        client.get_footprint(footprint_id(0))
    error = caught.value
    assert (error.status, error.code) == (401, "invalid_client")
    assert "refused the client credentials" in error.message
    assert error.url.endswith("/oauth/token") and "wrong" not in str(error)
    assert sleeps == [] and len(v3_host.calls("POST", "/oauth/token")) == 1


@pytest.mark.parametrize(("token", "path"), [
    ({"token_type": "Bearer"}, "$.access_token"),
    ({"access_token": "t", "token_type": "mac"}, "$.token_type"),
    ({"access_token": "t", "token_type": "bearer", "expires_in": -5}, "$.expires_in"),
])
def test_a_malformed_token_response_is_refused(v3_host: FakePactHost, ca_file: Path,
                                               token: dict[str, Any], path: str) -> None:
    v3_host.queue("POST /oauth/token", Reply(body=token))
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(InvalidResponse) as caught:
        client.get_footprint(footprint_id(0))
    assert [v.path for v in caught.value.violations] == [path]


def test_a_discovered_http_token_endpoint_is_refused(v3_host: FakePactHost,
                                                     ca_file: Path) -> None:
    v3_host.queue("GET /.well-known/openid-configuration",
                  Reply(body={"token_endpoint": "http://127.0.0.1:9/token"}))
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(InsecureUrl, match="token_endpoint"):
        client.get_footprint(footprint_id(0))


# -- ListFootprints and GetFootprint ---------------------------------------------------

def test_it_lists_every_page_following_the_link_headers(
        host: FakePactHost, ca_file: Path, data: list[dict[str, Any]]) -> None:
    client, _ = connect(host, ca_file)
    listed = list(client.list_footprints(limit=2))
    assert [str(pf.id) for pf in listed] == [footprint_id(i) for i in range(5)]
    assert [pf.raw for pf in listed] == data
    pages = host.calls("GET", f"/{host.version}/footprints")
    assert [p.query for p in pages] == [
        {"limit": ["2"]}, {"limit": ["2"], "offset": ["2"]}, {"limit": ["2"], "offset": ["4"]}]
    assert listed[0].co2e_kg_per_declared_unit == pytest.approx(15.0)
    assert listed[0].spec_version.startswith(host.version)


def test_an_empty_list_is_fine(cert: trustme.LeafCert, ca_file: Path) -> None:
    with FakePactHost("3", [], cert=cert).running() as host:
        client, _ = connect(host, ca_file)
        assert list(client.list_footprints()) == []


def test_v3_filters_are_sent_as_query_parameters(v3_host: FakePactHost, ca_file: Path) -> None:
    product = "urn:pact:yuntan.example:supplier-id:91532600DEMO0001-AL9970"
    client, _ = connect(v3_host, ca_file)
    listed = list(client.list_footprints(
        {"productId": ["urn:pact:other:x", product], "geography": "CN", "status": "Active"},
        limit=3))
    assert len(listed) == 5
    first, second = v3_host.calls("GET", "/3/footprints")
    assert first.query == {"productId": ["urn:pact:other:x", product], "geography": ["CN"],
                           "status": ["Active"], "limit": ["3"]}
    assert second.query == {**first.query, "offset": ["3"]}
    assert list(client.list_footprints({"geography": ["FR"]})) == []


def test_an_unknown_filter_is_refused_before_any_call(v3_host: FakePactHost,
                                                      ca_file: Path) -> None:
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(InvalidFilter, match="productid_typo"):
        client.list_footprints({"productid_typo": "urn:x"})
    assert v3_host.seen == []


def test_v2_takes_no_filters(ca_file: Path) -> None:
    client = PactClient("https://pact.example", "id", "secret", "2", ca_file=ca_file)
    with pytest.raises(ValueError, match="no filters"):
        client.list_footprints({"productId": "urn:x"})
    with pytest.raises(ValueError, match="positive integer"):
        client.list_footprints(limit=0)


def test_it_gets_one_footprint(host: FakePactHost, ca_file: Path,
                               data: list[dict[str, Any]]) -> None:
    client, _ = connect(host, ca_file)
    pcf = client.get_footprint(UUID(footprint_id(3)))
    assert pcf.raw == data[3]
    assert pcf.company_ids == ("urn:pact:yuntan.example:company-id:91532600DEMO0001",)
    assert pcf.geography == "CN-YN"


def test_an_unknown_footprint_is_a_404_with_the_versions_code(host: FakePactHost,
                                                              ca_file: Path) -> None:
    client, sleeps = connect(host, ca_file)
    with pytest.raises(HttpError) as caught:
        client.get_footprint(footprint_id(99))
    expected = error_response("NotFound", host.version)[1]["code"]  # the host's spelling
    assert (caught.value.status, caught.value.code) == (404, expected)
    assert sleeps == []


def test_a_footprint_with_another_id_is_refused(v3_host: FakePactHost, ca_file: Path) -> None:
    v3_host.queue(f"GET /3/footprints/{footprint_id(0)}",
                  Reply(body={"data": v3_host.footprints[1]}))
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(InvalidResponse, match=f"the host sent {footprint_id(1)}"):
        client.get_footprint(footprint_id(0))


# -- invalid answers --------------------------------------------------------------------

def test_an_invalid_footprint_is_refused_with_its_schema_path(v3_host: FakePactHost,
                                                              ca_file: Path) -> None:
    broken = copy.deepcopy(v3_host.footprints[0])
    broken["pcf"]["declaredUnitOfMeasurement"] = "bushel"
    v3_host.queue(f"GET /3/footprints/{footprint_id(0)}", Reply(body={"data": broken}))
    v3_host.queue("GET /3/footprints", Reply(body={"data": [v3_host.footprints[1], broken]}))
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(InvalidResponse) as caught:
        client.get_footprint(footprint_id(0))
    assert "$.data.pcf.declaredUnitOfMeasurement" in {v.path for v in caught.value.violations}
    assert "$.data.pcf.declaredUnitOfMeasurement" in str(caught.value)
    with pytest.raises(InvalidResponse) as caught:
        list(client.list_footprints())
    assert "$.data[1].pcf.declaredUnitOfMeasurement" in {
        v.path for v in caught.value.violations}


def test_a_v2_footprint_from_a_v3_host_is_refused(v3_host: FakePactHost, ca_file: Path) -> None:
    v3_host.queue("GET /3/footprints", Reply(body={"data": footprints("2", 1)}))
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(InvalidResponse, match="does not match the PACT v3 schema"):
        list(client.list_footprints())


@pytest.mark.parametrize("body", [b"<html>Proxy login</html>", b"", b"\xff\xfe"])
def test_a_body_that_is_not_json_is_refused(v3_host: FakePactHost, ca_file: Path,
                                            body: bytes) -> None:
    v3_host.queue("GET /3/footprints", Reply(body=body, headers={"Content-Type": "text/html"}))
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(InvalidResponse, match="is not JSON") as caught:
        list(client.list_footprints())
    assert caught.value.status == 200


def test_more_footprints_than_the_limit_are_refused(v3_host: FakePactHost,
                                                    ca_file: Path) -> None:
    v3_host.queue("GET /3/footprints", Reply(body={"data": v3_host.footprints[:3]}))
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(InvalidResponse, match="more than limit=2"):
        list(client.list_footprints(limit=2))


@pytest.mark.parametrize(("origin", "reason"), [
    ("https://localhost:{port}", "not on the host"),
    ("https://127.0.0.1:1", "not on the host"),
    ("http://127.0.0.1:{port}", "not on the host"),
])
def test_a_next_link_to_another_host_is_refused(v3_host: FakePactHost, ca_file: Path,
                                                origin: str, reason: str) -> None:
    port = v3_host.origin.rsplit(":", 1)[1]
    v3_host.next_link_origin = origin.format(port=port)
    client, _ = connect(v3_host, ca_file)
    pages = client.list_footprints(limit=2)
    with pytest.raises(InvalidResponse, match=reason) as caught:
        next(pages)
    assert "refused" in caught.value.message
    assert len(v3_host.calls("GET", "/3/footprints")) == 1  # the link was never followed


@pytest.mark.parametrize(("link", "reason"), [
    ('</3/footprints?offset=2>; rel="next"', "not an absolute URL"),
    ('<{base}/3/footprints?limit=2>; rel="next"', "points back to a page already read"),
    ('<{base}/3/footprints?a=1>; rel="next", <{base}/3/footprints?a=2>; rel=next',
     "several next links"),
])
def test_a_malformed_next_link_is_refused(v3_host: FakePactHost, ca_file: Path, link: str,
                                          reason: str) -> None:
    header = {"Link": link.format(base=v3_host.base_url)}
    v3_host.queue("GET /3/footprints", Reply(body={"data": []}, headers=header))
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(InvalidResponse, match=reason):
        list(client.list_footprints(limit=2))


@pytest.mark.parametrize(("values", "expected"), [
    (['<https://h/a?x=1>; rel="next"'], ["https://h/a?x=1"]),
    (['<https://h/p>; rel="prev", <https://h/n>; rel="next"'], ["https://h/n"]),
    (['<https://h/n>; title="a, b; c"; rel="next last"'], ["https://h/n"]),
    (["<https://h/n>;rel=NEXT"], ["https://h/n"]),
    (['<https://h/p>; rel="prev"', '<https://h/n>; rel="next"'], ["https://h/n"]),
    (['<https://h/n>; rel="nextpage"'], []),
])
def test_next_links_are_read_as_rfc_8288_says(values: list[str], expected: list[str]) -> None:
    assert next_links(values) == expected


# -- retries ----------------------------------------------------------------------------

def test_it_retries_5xx_and_429_with_backoff_then_succeeds(v3_host: FakePactHost,
                                                           ca_file: Path) -> None:
    v3_host.queue("GET /3/footprints", Reply(503, b"busy"), Reply(429), Reply(drop=True))
    client, sleeps = connect(v3_host, ca_file)
    assert len(list(client.list_footprints())) == 5
    assert len(v3_host.calls("GET", "/3/footprints")) == 4
    assert len(sleeps) == 3
    for delay, base in zip(sleeps, [0.5, 1.0, 2.0], strict=True):
        assert base <= delay <= 1.5 * base


def test_it_gives_up_after_the_retries(v3_host: FakePactHost, ca_file: Path) -> None:
    failing = Reply(500, {"code": "InternalError", "message": "Database is down"})
    v3_host.queue(f"GET /3/footprints/{footprint_id(0)}", *[failing] * 4)
    client, sleeps = connect(v3_host, ca_file, retries=3, backoff=0.1)
    with pytest.raises(HttpError) as caught:
        client.get_footprint(footprint_id(0))
    assert (caught.value.status, caught.value.code) == (500, "InternalError")
    assert "Database is down" in caught.value.message
    assert len(sleeps) == 3 and len(v3_host.calls("GET", f"/3/footprints/{footprint_id(0)}")) == 4


def test_retry_after_is_honoured(v3_host: FakePactHost, ca_file: Path) -> None:
    v3_host.queue("POST /oauth/token", Reply(429, headers={"Retry-After": "7"}))
    client, sleeps = connect(v3_host, ca_file)
    client.get_footprint(footprint_id(0))
    assert sleeps == [7.0]


def test_a_400_is_not_retried(v3_host: FakePactHost, ca_file: Path) -> None:
    v3_host.queue("GET /3/footprints", Reply(400, {"code": "BadRequest",
                                                    "message": "Unsupported filter"}))
    client, sleeps = connect(v3_host, ca_file)
    with pytest.raises(HttpError) as caught:
        list(client.list_footprints())
    assert (caught.value.status, caught.value.code) == (400, "BadRequest")
    assert str(caught.value) == (f"GET answered HTTP 400 BadRequest: Unsupported filter "
                                 f"({v3_host.base_url}/3/footprints)")
    assert sleeps == [] and len(v3_host.calls("GET", "/3/footprints")) == 1


def test_a_redirect_is_not_followed(v3_host: FakePactHost, ca_file: Path) -> None:
    v3_host.queue("GET /3/footprints", Reply(302, headers={"Location": "https://evil/"}))
    client, _ = connect(v3_host, ca_file)
    with pytest.raises(HttpError, match="redirects are not followed"):
        list(client.list_footprints())


def test_an_unreachable_host_fails_after_the_retries(ca_file: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    client = PactClient(f"https://127.0.0.1:{port}", "id", "secret", ca_file=ca_file,
                        retries=2, sleep=sleeps, timeout=5, allow_private_hosts=True)
    with pytest.raises(ConnectionFailed) as caught:
        client.get_footprint(footprint_id(0))
    assert caught.value.status is None and len(sleeps) == 2


# -- TLS and URLs -------------------------------------------------------------------------

@pytest.mark.parametrize(("base", "auth"), [
    ("http://pact.example", None),
    ("https://pact.example", "http://auth.example"),
    ("ftp://pact.example", None),
    ("https://user:pw@pact.example", None),
    ("https://pact.example/?x=1", None),
])
def test_http_and_odd_urls_are_refused(base: str, auth: str | None) -> None:
    with pytest.raises(InsecureUrl):
        PactClient(base, "id", "secret", auth_base_url=auth)


def test_allow_http_talks_plain_http_for_tests() -> None:
    with FakePactHost("3", footprints("3", 2), cert=None).running() as host:
        client = PactClient(host.base_url, CLIENT_ID, CLIENT_SECRET, allow_http=True,
                            allow_private_hosts=True)
        assert len(list(client.list_footprints())) == 2


@pytest.mark.parametrize("trusted", ["another CA", "the system store only"])
def test_a_certificate_from_an_untrusted_ca_is_refused(
        v3_host: FakePactHost, tmp_path: Path, trusted: str) -> None:
    ca_file = None
    if trusted == "another CA":
        ca_file = tmp_path / "other.pem"
        trustme.CA().cert_pem.write_to_path(str(ca_file))
    sleeps = Sleeps()
    client = PactClient(v3_host.base_url, CLIENT_ID, CLIENT_SECRET, ca_file=ca_file,
                        sleep=sleeps, allow_private_hosts=True)
    with pytest.raises(TlsError, match="certificate is not trusted") as caught:
        client.get_footprint(footprint_id(0))
    assert caught.value.status is None and sleeps == []
    assert all(s.method != "POST" for s in v3_host.seen)  # no credentials were sent


def test_a_certificate_for_another_name_is_refused(ca: trustme.CA, ca_file: Path) -> None:
    with FakePactHost("3", [], cert=ca.issue_cert("pact.other.example")).running() as host:
        client, _ = connect(host, ca_file)
        with pytest.raises(TlsError, match="certificate is not trusted"):
            list(client.list_footprints())


def test_an_unreadable_ca_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TlsError, match="cannot load the CA file"):
        PactClient("https://pact.example", "id", "secret", ca_file=tmp_path / "missing.pem")


def test_the_secret_stays_out_of_repr() -> None:
    client = PactClient("https://pact.example/", "id", "very-secret")
    assert "very-secret" not in repr(client)
    assert client.base_url == "https://pact.example"


# -- events -------------------------------------------------------------------------------

def test_it_sends_an_event(host: FakePactHost, ca_file: Path) -> None:
    event = published_event(host.version, [footprint_id(1)], source=SOURCE)
    client, _ = connect(host, ca_file)
    assert client.send_event(event) is None
    (posted,) = host.calls("POST", f"/{host.version}/events")
    assert posted.headers["content-type"] == "application/cloudevents+json; charset=UTF-8"
    assert posted.headers["authorization"] == "Bearer token-1"


def test_a_v2_host_may_answer_an_event_with_an_object(cert: trustme.LeafCert,
                                                      ca_file: Path) -> None:
    with FakePactHost("2", [], cert=cert).running() as host:
        host.queue("POST /2/events", Reply(body={}), Reply(body=[]))
        client, _ = connect(host, ca_file)
        event = published_event("2", [footprint_id(1)], source=SOURCE)
        client.send_event(event)
        with pytest.raises(InvalidResponse, match="schema of POST /2/events"):
            client.send_event(event)


def test_an_event_is_retried_on_5xx_then_delivered(v3_host: FakePactHost,
                                                   ca_file: Path) -> None:
    v3_host.queue("POST /3/events", Reply(502), Reply(drop=True))
    client, sleeps = connect(v3_host, ca_file)
    client.send_event(published_event("3", [footprint_id(1)], source=SOURCE))
    assert len(sleeps) == 2 and len(v3_host.calls("POST", "/3/events")) == 3


def test_a_refused_event_is_not_retried(v3_host: FakePactHost, ca_file: Path) -> None:
    v3_host.queue("POST /3/events", Reply(400, {"code": "NotImplemented",
                                                "message": "Events are not supported"}))
    client, sleeps = connect(v3_host, ca_file)
    with pytest.raises(HttpError) as caught:
        client.send_event(published_event("3", [footprint_id(1)], source=SOURCE))
    assert (caught.value.status, caught.value.code) == (400, "NotImplemented")
    assert sleeps == []


def test_a_malformed_event_is_not_sent(v3_host: FakePactHost, ca_file: Path) -> None:
    client, _ = connect(v3_host, ca_file)
    v2_event = published_event("2", [footprint_id(1)], source=SOURCE)
    with pytest.raises(MalformedEvent, match=r"\$.type"):
        client.send_event(v2_event)
    assert v3_host.seen == []


def test_every_client_error_is_a_pact_client_error() -> None:
    for kind in (InsecureUrl, ConnectionFailed, TlsError, HttpError, AuthenticationFailed,
                 InvalidResponse):
        assert issubclass(kind, PactClientError)

"""A supplier's (or customer's) PACT host may only be a public HTTPS host on port 443,
checked when it is entered and again, resolved, before every connection; connection
errors do not tell open, closed and filtered ports apart."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from world_fixtures import World

from yuntan.pact.addresses import HostNotAllowed, check_url, resolve
from yuntan.pact.client import ConnectionFailed, InsecureUrl, PactClient
from yuntan.platform.exchange import services, suppliers
from yuntan.platform.exchange.models import Customer, Supplier

PRIVATE = ["https://127.0.0.1", "https://10.1.2.3", "https://192.168.0.1/pact",
           "https://172.16.0.1", "https://169.254.169.254", "https://[::1]",
           "https://[fe80::1]", "https://[::ffff:127.0.0.1]", "https://0.0.0.0",
           "https://100.64.0.1", "https://240.0.0.1", "https://localhost",
           "https://pact.localhost", "https://8.8.8.8:8443", "https://pact.example:22"]


@pytest.mark.parametrize("url", PRIVATE)
def test_a_private_address_or_another_port_is_refused_at_entry(url: str) -> None:
    with pytest.raises(HostNotAllowed):
        check_url(url, allow_private=False)
    with pytest.raises(InsecureUrl):
        PactClient(url, "id", "secret")
    check_url(url, allow_private=True)  # the operator's setting allows them


def test_a_public_host_is_accepted() -> None:
    check_url("https://8.8.8.8", allow_private=False)
    check_url("https://pact.supplier.example/sub", allow_private=False)  # resolves later


def _resolving_to(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    def fake(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(
        monkeypatch: pytest.MonkeyPatch) -> None:
    client = PactClient("https://pact.supplier.example", "id", "secret", retries=0)
    _resolving_to(monkeypatch, "127.0.0.1")  # DNS rebinding: public at entry, now loopback

    def no_connection(*args: Any, **kwargs: Any) -> None:
        pytest.fail("a connection was opened")
    monkeypatch.setattr(socket, "create_connection", no_connection)
    with pytest.raises(InsecureUrl, match="not a public address"):
        client.get_footprint("8f5c4b2a-0000-4000-8000-000000000000")


def test_the_connection_goes_to_the_address_that_was_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _resolving_to(monkeypatch, "93.184.216.34")
    assert resolve("pact.supplier.example", 443, allow_private=False) == "93.184.216.34"
    opened: list[tuple[str, int]] = []

    def record(address: tuple[str, int], *args: Any, **kwargs: Any) -> None:
        opened.append(address)
        raise ConnectionRefusedError(111, "Connection refused")
    monkeypatch.setattr(socket, "create_connection", record)
    client = PactClient("https://pact.supplier.example", "id", "secret", retries=0)
    with pytest.raises(ConnectionFailed):
        client.get_footprint("8f5c4b2a-0000-4000-8000-000000000000")
    assert opened == [("93.184.216.34", 443)]


@pytest.mark.parametrize("error", [ConnectionRefusedError(111, "Connection refused"),
                                   TimeoutError("timed out"),
                                   ConnectionResetError(104, "Connection reset by peer"),
                                   OSError(113, "No route to host")])
def test_connection_errors_read_the_same_whatever_the_port_state(
        monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    _resolving_to(monkeypatch, "93.184.216.34")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise error
    monkeypatch.setattr(socket, "create_connection", fail)
    client = PactClient("https://pact.supplier.example", "id", "secret", retries=0)
    with pytest.raises(ConnectionFailed) as caught:
        client.get_footprint("8f5c4b2a-0000-4000-8000-000000000000")
    assert caught.value.message.endswith(
        "failed: the host could not be reached or did not answer")
    assert str(error) not in str(caught.value)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["https://127.0.0.1:8443", "https://169.254.169.254",
                                 "https://localhost"])
def test_the_platform_refuses_a_private_supplier_or_customer_host(world: World,
                                                                  url: str) -> None:
    with pytest.raises(services.ExchangeError):
        suppliers.add_supplier(world.orgs["enterprise_a"], world.users["admin_a"], name="S",
                               base_url=url, version="3", client_id="id", secret="s")
    with pytest.raises(services.ExchangeError):
        services.create_customer(world.orgs["enterprise_a"], "C", world.users["admin_a"],
                                 events_host=url)
    assert not Supplier.objects.exists() and not Customer.objects.exists()


@pytest.mark.django_db
def test_the_setting_allows_an_intranet_host(world: World, settings: Any) -> None:
    settings.YUNTAN_PACT_ALLOW_PRIVATE_HOSTS = True
    supplier = suppliers.add_supplier(world.orgs["enterprise_a"], world.users["admin_a"],
                                      name="S", base_url="https://10.0.0.5:8443", version="3",
                                      client_id="id", secret="s")
    assert supplier.pk is not None

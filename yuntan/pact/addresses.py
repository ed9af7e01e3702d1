"""Which hosts a PACT client may call: public HTTPS hosts only, so a supplier's host
entered by a user cannot make the platform call its own network (SSRF).

A host is checked when it is entered (:func:`check_url`: the port, an address written as
an IP, a name that resolves) and again before every connection (:func:`resolve`: the
name is resolved, every address checked, and the connection goes to a checked address,
so a name that resolves elsewhere on the second lookup (DNS rebinding) gains nothing).
``allow_private`` lifts both checks, for an intranet deployment or tests.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from urllib.parse import urlsplit

PUBLIC_PORT = 443


class HostNotAllowed(ValueError):
    """The host is not a public HTTPS host (loopback, private, link-local, reserved
    addresses, or a port other than 443)."""


def _address_problem(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        return "is not a public address"
    return None


def _port_problem(port: int | None) -> str | None:
    if port not in (None, PUBLIC_PORT):
        return f"uses port {port}; PACT hosts are called on port {PUBLIC_PORT} only"
    return None


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse ``url`` when its host is not a public HTTPS host; a name that does not
    resolve now is checked again at connection time."""
    if allow_private:
        return
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    problem = _port_problem(parts.port)
    if problem is None:
        try:
            problem = _address_problem(host)
        except ValueError:  # a name, not an address
            if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
                problem = "is not a public host name"
            else:
                # Unknown today: refused at connection time if still unknown.
                with contextlib.suppress(OSError):
                    resolve(host, PUBLIC_PORT, allow_private=False)
    if problem:
        raise HostNotAllowed(f"the host {host} {problem} (an operator can allow intranet "
                             "hosts with YUNTAN_PACT_ALLOW_PRIVATE_HOSTS)")


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """An address of ``host`` to connect to, every address it resolves to checked.
    Raises :class:`HostNotAllowed`, or ``OSError`` when the name does not resolve."""
    if not allow_private and (problem := _port_problem(port)):
        raise HostNotAllowed(f"the host {host} {problem}")
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise OSError(f"{host} has no address")
    if not allow_private:
        for address in addresses:
            if problem := _address_problem(address):
                raise HostNotAllowed(f"the host {host} {problem}")
    return addresses[0]

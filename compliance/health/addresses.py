"""Which network addresses the link checker may fetch (server-side request forgery).

A school's content is written by its staff: a link to ``http://10.0.0.5/`` or ``http://localhost:6379/`` must not
make the platform's own servers talk to its database, its Redis or a cloud metadata service. Every address a
host name resolves to is checked before connecting, the connection goes to that checked address (a second
lookup could answer otherwise), and every redirect is checked again. The rule is a plain function handed to the
checker, not a setting: tests hand it one that lets them reach the HTTP server they start on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressRule = Callable[[IPAddress], bool]


def public_address_only(address: IPAddress) -> bool:
    """Only addresses on the public internet: not loopback, private, link-local, multicast or reserved."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return address.is_global and not address.is_multicast


def loopback_allowed(address: IPAddress) -> bool:
    """The public internet and this machine's loopback: for tests that start their own HTTP server."""
    return address.is_loopback or public_address_only(address)

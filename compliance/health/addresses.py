"""Which network addresses the link checker may fetch (server-side request forgery).

A school's content is written by its staff: a link to ``http://10.0.0.5/`` or ``http://localhost:6379/`` must not
make the platform's own servers talk to its database, its Redis or a cloud metadata service. Every address a
host name resolves to is checked before connecting, the connection goes to that checked address (a second
lookup could answer otherwise), and every redirect is checked again. The rule is a plain function handed to the
checker, not a setting: tests hand it one that lets them reach the HTTP server they start on 127.0.0.1.

IPv6 has forms that carry an IPv4 address inside (``64:ff9b::a00:5`` is 10.0.0.5 through a NAT64 translator,
``2002:a00:5::1`` the same through 6to4) and Python 3.11 calls some of them global: the IPv4 inside is judged
instead, and the forms where it cannot be read for certain are refused.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressRule = Callable[[IPAddress], bool]

# RFC 6052's well-known NAT64 prefix: the last 32 bits are the IPv4 address the translator connects to (a host on
# an IPv6-only network with DNS64 sees every IPv4-only site this way, so it is judged, not refused).
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_REFUSED_IPV6 = (
    # IPv4-compatible addresses (RFC 4291, deprecated): ::7f00:1 is 127.0.0.1; also :: and ::1.
    ipaddress.IPv6Network("::/96"),
    # Local-use NAT64 (RFC 8215): a network's own translator; where the IPv4 sits depends on its prefix length.
    ipaddress.IPv6Network("64:ff9b:1::/48"),
    # Teredo (RFC 4380): a tunnel to a host behind NAT, never a web server; the IPv4 inside is obfuscated.
    ipaddress.IPv6Network("2001::/32"),
    # Site-local (RFC 3879, deprecated): a private network, like 10.0.0.0/8.
    ipaddress.IPv6Network("fec0::/10"),
)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, NAT64 (well-known prefix) or 6to4 address leads to, if it is one."""
    if address.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
        return address.ipv4_mapped
    if address in _NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour  # 2002:a00:5::1 is 10.0.0.5


def public_address_only(address: IPAddress) -> bool:
    """Only addresses on the public internet: not loopback, private, link-local, site-local, multicast or reserved,
    nor an IPv6 form that leads to such an IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address):
        if any(address in network for network in _REFUSED_IPV6):
            return False
        inner = embedded_ipv4(address)
        if inner is not None:
            return public_address_only(inner)
        if address.is_site_local:
            return False
    return address.is_global and not (address.is_multicast or address.is_reserved)


def loopback_allowed(address: IPAddress) -> bool:
    """The public internet and this machine's loopback: for tests that start their own HTTP server."""
    return address.is_loopback or public_address_only(address)

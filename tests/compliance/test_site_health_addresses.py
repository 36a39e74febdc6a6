"""Clause 5.6: the link checker never fetches an address off the public internet, including the IPv6 forms that
carry a private IPv4 address inside (NAT64, 6to4, IPv4-compatible, IPv4-mapped) and the ranges it cannot read
for certain (local-use NAT64, Teredo, site-local, reserved)."""

from __future__ import annotations

import ipaddress

import pytest

from compliance.health.addresses import embedded_ipv4, loopback_allowed, public_address_only


def _public(text: str) -> bool:
    return public_address_only(ipaddress.ip_address(text))


def test_5_6_a_nat64_address_is_judged_by_the_ipv4_inside():
    assert embedded_ipv4(ipaddress.IPv6Address("64:ff9b::a00:5")) == ipaddress.IPv4Address("10.0.0.5")
    assert not _public("64:ff9b::a00:5")  # 10.0.0.5
    assert not _public("64:ff9b::7f00:1")  # 127.0.0.1
    assert not _public("64:ff9b::a9fe:a9fe")  # 169.254.169.254, the cloud metadata service
    assert _public("64:ff9b::808:808")  # 8.8.8.8: an IPv6-only host reaches IPv4 sites this way


def test_5_6_a_local_use_nat64_address_is_refused_outright():
    assert not _public("64:ff9b:1::a00:5")
    assert not _public("64:ff9b:1::808:808")  # where the IPv4 sits depends on the network's own prefix


def test_5_6_a_6to4_address_is_judged_by_the_ipv4_inside():
    assert not _public("2002:a00:5::1")  # 10.0.0.5
    assert not _public("2002:7f00:1::")  # 127.0.0.1
    assert _public("2002:808:808::1")  # 8.8.8.8


def test_5_6_an_ipv4_compatible_address_is_refused():
    assert not _public("::7f00:1")  # 127.0.0.1
    assert not _public("::a00:5")  # 10.0.0.5
    assert not _public("::808:808")  # deprecated form: refused whatever it carries
    assert not _public("::") and not _public("::1")


def test_5_6_an_ipv4_mapped_address_is_judged_by_the_ipv4_inside():
    assert not _public("::ffff:127.0.0.1")
    assert not _public("::ffff:10.0.0.5")
    assert _public("::ffff:8.8.8.8")


@pytest.mark.parametrize("teredo", ["2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"])
def test_5_6_a_teredo_address_is_refused(teredo):
    assert not _public(teredo)


def test_5_6_a_site_local_or_reserved_address_is_refused():
    assert not _public("fec0::1")
    assert not _public("feff::1")  # the top of fec0::/10
    assert not _public("100::1")  # discard-only (reserved)
    assert not _public("5f00::1")  # reserved by the IETF, called global by Python 3.11
    assert not _public("240.0.0.1")  # IPv4's reserved block


def test_5_6_private_loopback_link_local_and_multicast_addresses_are_refused_and_public_ones_pass():
    for private in ("10.0.0.5", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0"):  # noqa: S104
        assert not _public(private), private
    for private in ("fc00::1", "fe80::1", "ff02::1", "2001:db8::1"):
        assert not _public(private), private
    assert not _public("224.0.0.1")
    assert _public("8.8.8.8") and _public("2606:4700::1111")


def test_5_6_the_tests_rule_adds_only_loopback():
    assert loopback_allowed(ipaddress.ip_address("127.0.0.1")) and loopback_allowed(ipaddress.ip_address("::1"))
    assert not loopback_allowed(ipaddress.ip_address("10.0.0.5"))
    assert not loopback_allowed(ipaddress.ip_address("64:ff9b::a00:5"))

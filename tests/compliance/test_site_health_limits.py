"""Clause 5.6: checking an external link takes a bounded time and memory whatever the other server does: a server
that trickles its headers is cut off at the address's deadline (and the link only counts as failing, to be
checked again tomorrow), an answer with oversized headers is not read on, and a name lookup is given up in time."""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.health.addresses import loopback_allowed
from compliance.health.check import EXTERNAL_BUDGET_SECONDS
from compliance.health.deadline import Deadline, call_within, resolve
from compliance.health.fetch import MAX_REDIRECTS, TIMEOUT_SECONDS, URL_DEADLINE_SECONDS, LinkChecker
from compliance.health.services import school_health_run
from compliance.models import ExternalLinkCheck, SiteHealthFinding, SiteHealthSummary
from school_sections.models import NewsIndexPage, NewsPage
from tests.compliance.link_server import TRICKLE_SECONDS

DEADLINE = 1.5  # seconds for one address in these tests; TRICKLE_SECONDS is far below the per-read timeout


def _checker() -> LinkChecker:
    return LinkChecker(address_allowed=loopback_allowed, timeout=1.0, deadline=DEADLINE, retries=2, backoff=0.05)


def test_5_6_a_server_that_trickles_its_headers_is_cut_off_at_the_deadline_and_the_link_counts_as_failing(
    make_school, link_server
):
    assert TRICKLE_SECONDS < 1.0  # each read gets an answer in time: only the deadline can end the fetch
    provisioned = make_school(subdomain="health-trickle")
    slow = link_server.url("/trickle")
    with schema_context(provisioned.school.schema_name):
        NewsIndexPage.objects.get().add_child(
            instance=NewsPage(title="Olympiad", title_en="Olympiad", body_en=f'<p><a href="{slow}">results</a></p>')
        )
        started = time.monotonic()
        report = school_health_run(now=timezone.now(), checker=_checker())
        took = time.monotonic() - started
    assert DEADLINE - 0.1 <= took < DEADLINE + 2.0  # not minutes: the whole answer had DEADLINE seconds
    row = ExternalLinkCheck.objects.get(url=slow)
    assert (row.state, row.failures, row.reason) == ("failing", 1, "no answer in time")
    assert report.links_waiting == 1  # asked again tomorrow before it counts as broken
    assert not SiteHealthFinding.objects.filter(school=provisioned.school, kind="broken_link").exists()
    assert SiteHealthSummary.objects.get(school=provisioned.school).broken_links == 0
    # No time was left for a retry or for GET after HEAD: the deadline covers every attempt.
    assert [method for method, path, _ in link_server.requests if path == "/trickle"] == ["HEAD"]

    with schema_context(provisioned.school.schema_name):  # the next night, still trickling: now it is broken
        school_health_run(now=timezone.now() + datetime.timedelta(days=1), checker=_checker())
    finding = SiteHealthFinding.objects.get(school=provisioned.school, kind="broken_link")
    assert finding.target == slow and "could not be reached" in finding.detail_text


def test_5_6_the_deadline_of_one_address_covers_its_retries(link_server):
    checker = LinkChecker(address_allowed=loopback_allowed, timeout=0.5, deadline=DEADLINE, retries=5, backoff=0.01)
    started = time.monotonic()
    outcome = checker.check(link_server.url("/trickle"))
    assert time.monotonic() - started < DEADLINE + 1.0
    assert not outcome.ok and outcome.may_pass and outcome.reason == "no answer in time"


def test_5_6_an_answer_with_oversized_headers_fails_without_being_read_on(link_server):
    outcome = _checker().check(link_server.url("/huge-headers"))
    assert not outcome.ok and "headers are over 64 KB" in outcome.reason
    assert not outcome.may_pass  # a server that answers so is not retried


def test_5_6_a_lookup_that_hangs_is_given_up_when_the_time_is_out():
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        call_within(lambda: time.sleep(5), 0.3)  # a resolver that does not answer
    assert time.monotonic() - started < 1.0
    assert call_within(lambda: 42, 1.0) == 42
    with pytest.raises(ZeroDivisionError):  # the call's own error reaches the caller
        call_within(lambda: 1 / 0, 1.0)
    spent = Deadline(0.0)
    with pytest.raises(TimeoutError):  # no lookup starts once the address's time is out
        resolve("localhost", 80, deadline=spent, cap=TIMEOUT_SECONDS)
    found = resolve("127.0.0.1", 80, deadline=Deadline(1.0), cap=TIMEOUT_SECONDS)
    assert {info[4][0] for info in found} == {"127.0.0.1"}


def test_5_6_a_schools_check_ends_inside_the_brokers_visibility_timeout():
    # The budget is looked at between addresses: the last one may run its whole deadline past it.
    assert EXTERNAL_BUDGET_SECONDS + URL_DEADLINE_SECONDS < settings.CELERY_VISIBILITY_TIMEOUT
    assert TIMEOUT_SECONDS < URL_DEADLINE_SECONDS and MAX_REDIRECTS >= 1

"""External addresses, checked once a period for the whole region (clause 5.6).

Two hundred schools linking to the ministry's site make one request a period, not two hundred: the region's
table (compliance.ExternalLinkCheck, public schema) keeps each address's last answer, and a worker claims an
address before it fetches it, so two schools checked at the same moment do not fetch it twice. One failed
check (with its own retries) makes an address "failing"; it is "broken" only when the next check, a day later,
fails too: a site that was down for an hour one night is not reported.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from urllib.parse import urlsplit

from django.core.cache import caches
from django.db.models import F, Q

from compliance.health.fetch import LinkChecker, LinkOutcome
from compliance.models import ExternalLinkCheck

State = ExternalLinkCheck.State
# A working address is asked again after this long: links rot slowly, and each check costs the other site.
RECHECK_WORKING = datetime.timedelta(days=3)
# A failing or broken one the next night (the daily check runs every 24 hours; 20 leave room for its spread),
# so that a failure is confirmed, or a repaired link cleared, a day later.
RECHECK_FAILING = datetime.timedelta(hours=20)
BROKEN_AFTER_FAILED_CHECKS = 2  # checks in a row, each a day apart and each with its own retries
# A claim older than this belongs to a worker that was stopped: the address may be fetched again.
CLAIM_SECONDS = 300


def url_digest(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def _due(now: datetime.datetime) -> Q:
    never = Q(checked_at__isnull=True)
    working_old = Q(state=State.OK, checked_at__lt=now - RECHECK_WORKING)
    failing_old = Q(state__in=[State.FAILING, State.BROKEN], checked_at__lt=now - RECHECK_FAILING)
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - datetime.timedelta(seconds=CLAIM_SECONDS))
    return (never | working_old | failing_old) & unclaimed


def _server(url: str) -> str:
    """The server an address is on (host and port, without credentials): what the per-host limit counts."""
    try:
        return urlsplit(url).netloc.rsplit("@", 1)[-1].lower()[:255]
    except ValueError:
        return ""


def host_request_allowed(host: str, *, per_minute: int) -> bool:
    """Count one request to ``host`` against its limit for this minute, shared by every worker (Redis); false
    when the limit is reached. Redis being away lets it through: each worker still asks one address at a time."""
    cache = caches["region"]  # keys without a schema: the limit is the region's
    key = f"link-check-host:{host}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        count = 1
    return count <= per_minute


def _record(row: ExternalLinkCheck, outcome: LinkOutcome, now: datetime.datetime) -> None:
    if outcome.ok:
        state, failures = State.OK, 0
    else:
        failures = row.failures + 1
        # An address the platform must not fetch is unreachable for visitors too: there is nothing to wait for.
        broken = outcome.refused_address or failures >= BROKEN_AFTER_FAILED_CHECKS
        state = State.BROKEN if broken else State.FAILING
    ExternalLinkCheck.objects.filter(pk=row.pk).update(
        state=state,
        failures=min(failures, 1000),
        status_code=outcome.status_code,
        reason=outcome.reason[:300],
        checked_at=now,
        claimed_at=None,
    )


def external_links_check(
    urls: set[str], *, now: datetime.datetime, checker: LinkChecker, deadline: float
) -> dict[str, ExternalLinkCheck]:
    """What the region knows of each of ``urls`` once those that are due are fetched (each by one worker);
    fetching stops at ``deadline`` (time.monotonic()), the rest wait for the next run."""
    digests = {url_digest(url): url for url in urls}
    ExternalLinkCheck.objects.bulk_create(
        [ExternalLinkCheck(url_digest=digest, url=url, host=_server(url)) for digest, url in digests.items()],
        ignore_conflicts=True,
    )
    due = (
        ExternalLinkCheck.objects.filter(_due(now), url_digest__in=digests)
        .order_by(F("checked_at").asc(nulls_first=True), "pk")  # never checked first, then the oldest
        .only("pk", "url", "host", "failures")
    )
    for row in list(due):
        if time.monotonic() > deadline:
            break
        claimed = ExternalLinkCheck.objects.filter(_due(now), pk=row.pk).update(claimed_at=now)
        if not claimed:  # another worker took it, or has just checked it
            continue
        if not host_request_allowed(row.host, per_minute=checker.host_requests_per_minute):
            ExternalLinkCheck.objects.filter(pk=row.pk).update(claimed_at=None)
            continue
        _record(row, checker.check(row.url), now)
    return {row.url: row for row in ExternalLinkCheck.objects.filter(url_digest__in=digests)}


def forgotten_links_prune(*, now: datetime.datetime) -> int:
    """Forget the addresses no school has asked about for a month (a link removed everywhere): every school's
    nightly check asks again about each address it links to, so a row still in use is never this old."""
    unused = ExternalLinkCheck.objects.filter(
        Q(checked_at__lt=now - datetime.timedelta(days=30)) | Q(checked_at__isnull=True, claimed_at__isnull=True)
    )
    return unused.delete()[0]

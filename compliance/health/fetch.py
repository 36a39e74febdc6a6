"""One external address, asked politely whether it still answers (clause 5.6).

HEAD first (no body is sent back), then GET for the servers that refuse or mishandle HEAD; a short timeout;
a few retries with growing pauses for what may pass (a timeout, a refused connection, a 5xx, a 429), none
for a plain answer such as 404; redirects followed a few hops, each one checked like the first; a User-Agent
that says who asks and why; and one deadline for all of it (compliance.health.deadline). The standard library's
client is used so that the connection can be pinned to the address that was checked
(compliance.health.addresses).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from compliance.health.addresses import AddressRule, IPAddress, public_address_only
from compliance.health.deadline import Deadline, DeadlineSocket, resolve

# Seconds one step may take (the name lookup, connecting, sending, each read of the answer): a server slower
# than this fails this attempt (a visitor would have given up too), and a dead host costs at most this per attempt.
TIMEOUT_SECONDS = 8.0
# Seconds one address may take in all: every attempt, HEAD and GET, every redirect and the pauses between. A
# school's check stops fetching after its budget (compliance.health.check.EXTERNAL_BUDGET_SECONDS, looked at
# between addresses), so it overruns the budget by at most this and ends well inside the broker's visibility
# timeout, however slowly a server trickles its answer.
URL_DEADLINE_SECONDS = 30.0
# Bytes read of one answer (its status line and headers, and one read buffer of the body at most). Honest
# servers send a few KB; past this the server is broken or hostile, and the link fails without waiting more.
# (http.client also stops at 100 header lines.)
MAX_ANSWER_HEAD_BYTES = 64 * 1024
# Attempts after the first for what may pass by itself, and the first pause between them (doubled each time):
# a server restarting or briefly overloaded is not reported for it.
RETRIES = 2
BACKOFF_SECONDS = 1.0
# Addresses checked on one server per minute by the whole platform (every worker, compliance.health.external): a
# school's site on a small host, or a ministry site many schools link to, never sees more from us. Addresses
# over the limit wait for the next run.
HOST_REQUESTS_PER_MINUTE = 20
MAX_REDIRECTS = 5  # more hops than any honest site needs; a loop ends here
_REDIRECTS = {301, 302, 303, 307, 308}
REFUSED_REASON = "not a public internet address"
_PASSING = {408, 425, 429, 500, 502, 503, 504}  # answers that say "not now" rather than "not here"


class AddressRefused(Exception):
    """The address resolves to a network the checker must not reach."""


@dataclass(frozen=True)
class LinkOutcome:
    ok: bool
    status_code: int | None = None
    reason: str = ""  # why it failed, in English, for operators and the findings' detail
    may_pass: bool = False  # a timeout, a refusal, a 5xx: worth another attempt
    refused_address: bool = False  # never fetched: not a public address


def default_user_agent() -> str:
    domain = getattr(settings, "PLATFORM_DOMAIN", "") or "localhost"
    return f"RegionalSchoolSites-LinkCheck/1.0 (+https://{domain}/; checks links on school sites once a few days)"


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to the checked address whatever the host name says, every step within the deadline."""

    def __init__(
        self, host: str, port: int, *, address: IPAddress, tls: ssl.SSLContext | None, deadline: Deadline, cap: float
    ) -> None:
        super().__init__(host, port)
        self.default_port = 443 if tls else 80  # the Host header names the port only when it is not the usual one
        self._address, self._tls, self._deadline, self._cap = address, tls, deadline, cap

    def connect(self) -> None:
        sock = socket.create_connection((str(self._address), self.port), self._deadline.timeout(self._cap))
        try:
            if self._tls is not None:
                sock.settimeout(self._deadline.timeout(self._cap))  # the whole handshake, not each of its reads
                sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = DeadlineSocket(sock, deadline=self._deadline, cap=self._cap, max_read=MAX_ANSWER_HEAD_BYTES)


class LinkChecker:
    """Checks external addresses with the given address rule, timeouts, retries, pause and per-host limit (tests
    shorten them)."""

    def __init__(
        self,
        *,
        address_allowed: AddressRule = public_address_only,
        timeout: float = TIMEOUT_SECONDS,
        deadline: float = URL_DEADLINE_SECONDS,
        retries: int = RETRIES,
        backoff: float = BACKOFF_SECONDS,
        user_agent: str | None = None,
        host_requests_per_minute: int = HOST_REQUESTS_PER_MINUTE,
    ) -> None:
        self.address_allowed = address_allowed
        self.timeout = timeout
        self.deadline = deadline
        self.retries = retries
        self.backoff = backoff
        self.user_agent = user_agent or default_user_agent()
        self.host_requests_per_minute = host_requests_per_minute

    def check(self, url: str) -> LinkOutcome:
        """Whether ``url`` answers, after the retries its failure deserves and the deadline allows."""
        deadline = Deadline(self.deadline)
        outcome = self._attempt(url, deadline)
        for attempt in range(self.retries):
            pause = self.backoff * 2**attempt
            if outcome.ok or not outcome.may_pass or deadline.remaining() <= pause:
                break
            time.sleep(pause)
            outcome = self._attempt(url, deadline)
        return outcome

    def _attempt(self, url: str, deadline: Deadline) -> LinkOutcome:
        try:
            status = self._status("HEAD", url, deadline)
            if status >= 400:  # some servers refuse or mishandle HEAD: ask as a browser would
                status = self._status("GET", url, deadline)
        except AddressRefused as error:
            return LinkOutcome(False, reason=str(error), refused_address=True)
        except TimeoutError:
            return LinkOutcome(False, reason="no answer in time", may_pass=True)
        except ssl.SSLError as error:
            return LinkOutcome(False, reason=f"secure connection failed: {error.reason or error}", may_pass=True)
        except (OSError, http.client.HTTPException, ValueError, UnicodeError) as error:  # AnswerTooLarge too
            return LinkOutcome(False, reason=_describe(error), may_pass=isinstance(error, OSError))
        if status < 400:
            return LinkOutcome(True, status_code=status)
        return LinkOutcome(False, status_code=status, reason=f"answered {status}", may_pass=status in _PASSING)

    def _addresses(self, host: str, port: int, deadline: Deadline) -> list[IPAddress]:
        found = resolve(host, port, deadline=deadline, cap=self.timeout)
        addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found))
        refused = [address for address in addresses if not self.address_allowed(address)]
        if refused or not addresses:
            raise AddressRefused(f"{REFUSED_REASON}: {host} ({refused[0] if refused else 'no address'})")
        return addresses

    def _status(self, method: str, url: str, deadline: Deadline) -> int:
        """The final status of ``method`` on ``url``, following redirects (the body is never read)."""
        for _hop in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not a web address: {url[:100]}")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            connection = _PinnedConnection(
                parts.hostname,
                port,
                address=self._addresses(parts.hostname, port, deadline)[0],
                tls=ssl.create_default_context() if parts.scheme == "https" else None,
                deadline=deadline,
                cap=self.timeout,
            )
            target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~") + (f"?{parts.query}" if parts.query else "")
            try:
                connection.request(method, target, headers={"User-Agent": self.user_agent, "Accept": "*/*"})
                response = connection.getresponse()
                status, location = response.status, response.getheader("Location")
            finally:
                connection.close()
            if status not in _REDIRECTS or not location:
                return status
            url = urljoin(url, location)
        raise http.client.HTTPException(f"more than {MAX_REDIRECTS} redirects")


def _describe(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "no such host"
    return f"{type(error).__name__}: {error}"[:300]

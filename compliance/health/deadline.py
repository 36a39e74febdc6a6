"""Time and size limits on one fetch that a slow or hostile server cannot stretch (clause 5.6).

A socket's timeout bounds each read, not the whole answer: a server that sends one header line every 7 seconds
never lets an 8-second timeout fire. So each fetch has a deadline, every socket operation may take only the time
left before it, the bytes read for the status line and headers are counted, and the host name lookup (which
has no timeout of its own) is given up when the time is out.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


class Deadline:
    """A moment on the monotonic clock after which a fetch stops."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def timeout(self, cap: float) -> float:
        """What one operation may take: ``cap``, or the time left if that is shorter; TimeoutError once it is out."""
        left = self.remaining()
        if left <= 0:
            raise TimeoutError("no answer in time")
        return min(cap, left)


class AnswerTooLarge(http.client.HTTPException):
    """The status line and headers are longer than any honest server sends."""


def call_within(function: Callable[[], Result], seconds: float) -> Result:
    """``function()`` in a thread, given up (TimeoutError) after ``seconds``: for calls with no timeout of their own.

    The thread is a daemon: a call given up finishes on its own (the system resolver stops by itself) and is
    then forgotten; it never keeps the worker from stopping."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="link-check-call", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeoutError("no answer in time")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def resolve(host: str, port: int, *, deadline: Deadline, cap: float) -> list[tuple]:
    """``socket.getaddrinfo`` for a stream connection, bounded by the deadline (an address literal needs no lookup)."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return call_within(lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM), deadline.timeout(cap))
    return socket.getaddrinfo(str(literal), port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)


class DeadlineSocket:
    """A connected socket (plain or TLS) for http.client whose every read and write may take only the time left
    before the deadline (and at most ``cap``), and which stops reading after ``max_read`` bytes: the body is
    never read, so what passes here is the status line, the headers and at most one buffer of the body."""

    def __init__(self, sock: socket.socket, *, deadline: Deadline, cap: float, max_read: int) -> None:
        self._sock, self._deadline, self._cap, self._max_read = sock, deadline, cap, max_read
        self._read = 0

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.timeout(self._cap))
        self._sock.sendall(data)

    def recv_into(self, buffer, nbytes: int = 0, flags: int = 0) -> int:
        self._sock.settimeout(self._deadline.timeout(self._cap))
        count = self._sock.recv_into(buffer, nbytes, flags)
        self._read += count
        if self._read > self._max_read:
            raise AnswerTooLarge(f"the answer's headers are over {self._max_read // 1024} KB")
        return count

    def makefile(self, mode: str = "rb", *_args, **_kwargs) -> io.BufferedReader:
        if mode != "rb":
            raise ValueError("only read as bytes")
        return io.BufferedReader(socket.SocketIO(self, "rb"))  # type: ignore[arg-type]  # reads through recv_into

    def _decref_socketios(self) -> None:
        """SocketIO calls it when closed; the socket is closed by the connection."""

    def fileno(self) -> int:
        return self._sock.fileno()

    def close(self) -> None:
        self._sock.close()

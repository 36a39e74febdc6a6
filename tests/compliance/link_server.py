"""A real HTTP server for the link checker's tests (clause 5.6), on 127.0.0.1 in a thread of the test process,
recording every request it gets: ``/ok`` answers 200, ``/gone`` 404, ``/no-head`` refuses HEAD and answers GET,
``/moved`` redirects to ``/ok``, ``/trickle`` sends one header line every ``TRICKLE_SECONDS`` and never ends its
headers, ``/huge-headers`` sends more header bytes than any honest server. And a port where nothing listens, so
that connecting is refused at once."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TRICKLE_SECONDS = 0.2  # far below any per-read timeout: only a deadline for the whole answer ends it
TRICKLE_FOR_SECONDS = 30.0  # the trickling server gives up after this, so that a failed test does not hang


class _Handler(BaseHTTPRequestHandler):
    def _answer(self, body: bool) -> None:
        self.server.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
        if self.path == "/trickle":
            return self._trickle()
        if self.path == "/huge-headers":
            self.send_response(200)
            for number in range(90):  # under http.client's 100 lines, 90 KB in all
                self.send_header(f"X-Padding-{number}", "x" * 1024)
            self.end_headers()
            return None
        status, headers = {
            "/ok": (200, {}),
            "/no-head": (405 if self.command == "HEAD" else 200, {}),
            "/moved": (301, {"Location": "/ok"}),
        }.get(self.path, (404, {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def _trickle(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        started = time.monotonic()
        try:
            while time.monotonic() - started < TRICKLE_FOR_SECONDS:
                self.wfile.write(b"X-Still-Thinking: yes\r\n")
                time.sleep(TRICKLE_SECONDS)
        except OSError:  # the checker hung up: what the test waits for
            pass
        self.close_connection = True

    def do_HEAD(self):
        self._answer(body=False)

    def do_GET(self):
        self._answer(body=True)

    def log_message(self, *args):
        pass


class LinkServer:
    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.requests = []  # type: ignore[attr-defined]
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def requests(self) -> list[tuple[str, str, str]]:
        return self.httpd.requests  # type: ignore[attr-defined]

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def closed_port_url() -> str:
    """An address on this machine where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/anything"


@pytest.fixture
def link_server():
    server = LinkServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()

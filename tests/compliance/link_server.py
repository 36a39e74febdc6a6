"""A real HTTP server for the link checker's tests (clause 5.6), on 127.0.0.1 in a thread of the test process,
recording every request it gets: ``/ok`` answers 200, ``/gone`` 404, ``/no-head`` refuses HEAD and answers GET,
``/moved`` redirects to ``/ok``. And a port where nothing listens, so that connecting is refused at once."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _Handler(BaseHTTPRequestHandler):
    def _answer(self, body: bool) -> None:
        self.server.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
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

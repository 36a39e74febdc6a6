"""The production stack without Docker: gunicorn with the production settings behind deploy/nginx.conf.template
(rendered for free ports, a self-signed certificate made here), against the test run's database and Redis.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import ssl
import string
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPSConnection
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
TEMPLATE = BASE_DIR / "deploy" / "nginx.conf.template"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    raw_headers: list[tuple[str, str]] = field(default_factory=list)  # as sent: a header twice is there twice

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def header_count(self, name: str) -> int:
        return sum(1 for sent, _value in self.raw_headers if sent.lower() == name.lower())


def _response(response) -> Response:
    body = response.read().decode("utf-8", "replace")
    raw = response.getheaders()
    return Response(response.status, {name.lower(): value for name, value in raw}, body, raw)


@dataclass
class Stack:
    http_port: int
    https_port: int
    web_port: int = 0
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def get(self, host: str, path: str = "/", *, https: bool = True, headers: dict | None = None) -> Response:
        if https:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the certificate is made by this test, self-signed
            connection = HTTPSConnection("127.0.0.1", self.https_port, timeout=30, context=context)
        else:
            connection = HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": host, **(headers or {})})
            return _response(connection.getresponse())
        finally:
            connection.close()

    def get_direct(self, path: str) -> Response:
        """Straight to gunicorn, past nginx: what the monitoring network sees."""
        connection = HTTPConnection("127.0.0.1", self.web_port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": "edu.test"})
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            return Response(response.status, {name.lower(): value for name, value in response.getheaders()}, body)
        finally:
            connection.close()

    def post(self, host: str, path: str, body: str, headers: dict) -> Response:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = HTTPSConnection("127.0.0.1", self.https_port, timeout=30, context=context)
        try:
            connection.request("POST", path, body=body, headers={"Host": host, **headers})
            response = connection.getresponse()
            cookies = [value for name, value in response.getheaders() if name.lower() == "set-cookie"]
            body = response.read().decode("utf-8", "replace")
            result = Response(response.status, {name.lower(): value for name, value in response.getheaders()}, body)
            result.headers["set-cookie"] = "\n".join(cookies)
            return result
        finally:
            connection.close()

    def log_tail(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in self.logs if log.exists())


def _certificate(folder: Path, domain: str) -> None:
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem"),
            "-subj", f"/CN={domain}", "-addext", f"subjectAltName=DNS:{domain},DNS:*.{domain}",
        ],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def production_environment(
    *, database_url: str, redis_url: str, media_root: Path, static_root: Path, domain: str = "edu.test"
) -> dict:
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "regional_platform.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PLATFORM_DOMAIN": domain,
        "PLATFORM_SCHEME": "https",
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(static_root),
        "CACHE_KEY_PREFIX": f"smoke-{uuid.uuid4().hex[:12]}",  # not an earlier run's schools
        "CELERY_QUEUE": f"smoke-{uuid.uuid4().hex[:12]}",
        "SECURE_HSTS_SECONDS": "3600",  # short: nothing but this test should remember it
        "LOG_FORMAT": "json",
    }


def collect_static(environment: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR, env=environment, check=True, capture_output=True, timeout=600,
    )  # fmt: skip


def start(folder: Path, environment: dict, *, cache_seconds: int) -> Stack:
    """gunicorn (2 workers) and nginx, both stopped by ``stop``.

    Free ports are only free when asked: another test process may take one before the server binds it,
    so each server is started until it is the one answering on its port (retried on new ports).
    """
    metrics = folder / "metrics"  # the workers' request metrics meet here (regional_platform.metrics)
    metrics.mkdir()
    environment = {
        **environment,
        "PUBLIC_PAGE_CACHE_SECONDS": str(cache_seconds),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
    }
    stack = Stack(http_port=0, https_port=0)
    web_port = _started(stack, lambda: _gunicorn(folder, environment, stack), "gunicorn")
    stack.web_port = web_port
    tls = folder / "tls"
    tls.mkdir()
    _certificate(tls, environment["PLATFORM_DOMAIN"])
    _started(stack, lambda: _nginx(folder, environment, stack, web_port=web_port, tls=tls), "nginx")
    return stack


def _started(stack: Stack, launch, what: str) -> int:
    for _attempt in range(5):
        port, process = launch()
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if _server_header(port).startswith(what):
                    stack.processes.append(process)
                    return port
            except OSError:
                pass
            time.sleep(0.2)
        process.terminate()
        process.wait(20)
    raise RuntimeError(f"{what} did not start\n{stack.log_tail()}")


def _server_header(port: int) -> str:
    connection = HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz", headers={"Host": "edu.test"})
        response = connection.getresponse()
        response.read()
        return response.getheader("Server", "") if response.status == 200 else ""
    finally:
        connection.close()


def _gunicorn(folder: Path, environment: dict, stack: Stack) -> tuple[int, subprocess.Popen]:
    port = free_port()
    log = folder / "gunicorn.log"
    if log not in stack.logs:
        stack.logs.append(log)
    command = [sys.executable, "-m", "gunicorn", "regional_platform.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--timeout", "60", "-c", str(BASE_DIR / "deploy" / "gunicorn.conf.py")]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=environment, stdout=log.open("a"), stderr=subprocess.STDOUT)
    return port, process


def _nginx(folder: Path, environment: dict, stack: Stack, *, web_port: int, tls: Path) -> tuple[int, subprocess.Popen]:
    stack.http_port, stack.https_port = free_port(), free_port()
    site = string.Template(TEMPLATE.read_text()).safe_substitute(
        UPSTREAM=f"127.0.0.1:{web_port}",
        HTTP_PORT=stack.http_port,
        HTTPS_PORT=stack.https_port,
        TLS_DIR=tls,
        MEDIA_DIR=environment["MEDIA_ROOT"],
        CACHE_DIR=folder / "cache",
        PLATFORM_DOMAIN=environment["PLATFORM_DOMAIN"],
    )
    (folder / "site.conf").write_text(site)
    log = folder / "nginx-error.log"
    if log not in stack.logs:
        stack.logs.append(log)
    temp = folder / "nginx-temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private folders
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {log} warn;\ndaemon off;\n"
        "events { worker_connections 256; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
        f"  include {folder}/site.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=log.open("a"),
    )
    return stack.http_port, process


def stop(stack: Stack) -> None:
    for process in reversed(stack.processes):
        process.terminate()
    for process in stack.processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()

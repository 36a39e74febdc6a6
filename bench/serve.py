"""Benchmark: serving a school's pages, against the same page as a static file.

    make bench-serve                          # or: BENCH_ARGS="--seconds 20 --connections 16"

1. Server time of a public section page, uncached, in-process (median, p95, queries).
2. Requests per second and latency of the school's home page, with wrk, in one run:
   the production stack (nginx with deploy/nginx.conf.template and its micro-cache, in
   front of gunicorn with the production settings, 2 workers, over HTTPS), gunicorn
   alone (no cache), and the same page saved as a file and served by nginx over the
   same TLS; then the ratios.
3. 200 concurrent visitors for 60 s on the home page through the production stack.

Needs `nginx` and `wrk` (Debian: apt-get install nginx-light wrk). Runs in its own
database (<DATABASE_URL's name>_bench), dropped afterwards.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from provision import _drop, bench_database_url  # noqa: E402

HOST = "bench-school.bench.test"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wrk(url: str, headers: dict, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"\s+(50|99)%\s+([\d.]+\w+)", output))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": rps,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(int(count) for count in socket_errors.groups()) if socket_errors else 0),
    }


def _server_time(client, path: str, repeats: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))], len(queries)


NGINX_CONF = """worker_processes 2; daemon off; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on;
  server {{ listen 127.0.0.1:{port} ssl; ssl_certificate {tls}/fullchain.pem; ssl_certificate_key {tls}/privkey.pem;
    root {dir}; location / {{ try_files /index.html =404; }} }} }}
"""


def _start_nginx(workdir: Path, port: int, tls: Path) -> subprocess.Popen:
    (workdir / "nginx.conf").write_text(NGINX_CONF.format(dir=workdir, port=port, tls=tls))
    return subprocess.Popen(["nginx", "-c", str(workdir / "nginx.conf"), "-p", str(workdir)])


def _print(label: str, figures: dict) -> None:
    print(
        f"{label:<44} {figures['rps']:9.1f} req/s   p50 {figures['p50']}   p99 {figures['p99']}"
        f"   errors {figures['errors']}"
    )


def _compare_servers(workdir: Path, processes: list, args) -> None:
    from tests.deploy import stack as production

    environment = production.production_environment(
        database_url=os.environ["DATABASE_URL"],
        redis_url=os.environ["REDIS_URL"],
        media_root=workdir / "media",
        static_root=workdir / "static",
        domain="bench.test",
    )
    production.collect_static(environment)
    stack_dir = workdir / "stack"
    stack_dir.mkdir()
    stack = production.start(stack_dir, environment, cache_seconds=args.cache_seconds)
    try:
        headers = {"Host": HOST, "Accept-Language": "kk"}
        page = stack.get(HOST, "/", headers=headers)
        assert page.status == 200, page.status
        (workdir / "index.html").write_text(page.body)
        (workdir / "index.html").chmod(0o644)
        file_port = _free_port()
        processes.append(_start_nginx(workdir, file_port, stack_dir / "tls"))
        time.sleep(1)

        cached = _wrk(f"https://127.0.0.1:{stack.https_port}/", headers, args.seconds, args.connections)
        direct = _wrk(
            f"http://127.0.0.1:{stack.web_port}/",
            {**headers, "X-Forwarded-Proto": "https"},
            args.seconds,
            args.connections,
        )
        static = _wrk(f"https://127.0.0.1:{file_port}/", {}, args.seconds, args.connections)
        _print("production stack (nginx cache + gunicorn)", cached)
        _print("gunicorn alone, no cache", direct)
        _print("nginx, the same page as a file", static)
        print(f"cached stack / nginx file: {100 * cached['rps'] / static['rps']:.0f} %")
        print(f"cached stack / gunicorn alone: {cached['rps'] / direct['rps']:.0f}x")
        burst = _wrk(f"https://127.0.0.1:{stack.https_port}/", headers, args.burst_seconds, args.burst_connections)
        _print(f"{args.burst_connections} visitors for {args.burst_seconds} s, production stack", burst)
    finally:
        production.stop(stack)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per server (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--repeats", type=int, default=200, help="in-process requests per page (default 200)")
    parser.add_argument("--cache-seconds", type=int, default=30, help="the micro-cache's lifetime (default 30)")
    parser.add_argument("--burst-connections", type=int, default=200, help="concurrent visitors (default 200)")
    parser.add_argument("--burst-seconds", type=int, default=60, help="how long they keep coming (default 60)")
    args = parser.parse_args()
    missing = [tool for tool in ("nginx", "wrk") if shutil.which(tool) is None]
    if missing:
        sys.exit(f"bench/serve.py needs {' and '.join(missing)}: apt-get install nginx-light wrk")

    url, _ = bench_database_url("_serve")
    os.environ.update(
        DATABASE_URL=url, PLATFORM_DOMAIN="bench.test", DJANGO_SETTINGS_MODULE="regional_platform.settings.dev"
    )
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_context

    from demo.content import demo_content_fill
    from tests.factories import school_create

    workdir = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    workdir.chmod(0o755)  # nginx's workers run as an unprivileged user
    processes: list[subprocess.Popen] = []
    try:
        call_command("migrate_schemas", interactive=False, verbosity=0)
        provisioned = school_create(subdomain="bench-school")
        with schema_context(provisioned.school.schema_name):
            demo_content_fill()
        connection.set_schema_to_public()

        client = Client(HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="kk")
        print(f"machine: {os.cpu_count()} cores")
        for path in ("/contacts/", "/documents/", "/staff/", "/"):
            median, p95, queries = _server_time(client, path, args.repeats)
            print(f"in-process {path:<14} median {median:6.2f} ms   p95 {p95:6.2f} ms   {queries} queries")
        _compare_servers(workdir, processes, args)
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)
        connection.close()
        _drop(url)


if __name__ == "__main__":
    main()

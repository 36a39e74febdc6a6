"""Benchmark: the platform on a Citus cluster against a single PostgreSQL, in the same run (issue 15).

    make bench-citus                                       # coordinator + 2 workers, 40 schools each side
    make bench-citus BENCH_ARGS="--schools 100 --requests 300"

Two scratch databases on the embedded cluster's coordinator server: ``<name>_citus_single``, a plain
database (the single-node baseline: same binaries, same machine), and ``<name>_citus_cluster``, a Citus
database whose school schemas are placed on the workers. Each measurement alternates the two sides in
rounds, so that the machine's drift (its speed varies by 2x over an hour) falls on both alike:

* provisioning: seconds per school (``school_provision``, the whole service);
* pages: seconds per request of a school's home page, a section page and the sitemap, rendered by
  Django's test client in-process (no HTTP server, no nginx micro-cache: the database's share shows),
  each on a school picked in turn.

Every side runs in a child process of its own (``--child``): django-tenants reads the database once. The
pages of a bigger fleet kept by ``make bench-fleet`` on the cluster (``--keep``) are measured with

    python bench/citus.py --child <its DATABASE_URL> --phase pages --requests 200

and ``--fleet <its DATABASE_URL> --schools 20`` measures them quiet, then while 20 schools are opened.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.provision import _drop, bench_database_url  # noqa: E402

SIDES = ("single", "cluster")
PAGES = ("/", "/contacts/", "/sitemap.xml")
PAGE_SCHOOLS = 20


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- the child: one side, one phase -------------------------------------------------------------------------


def _child_setup() -> None:
    from django.core.management import call_command

    call_command("migrate_schemas", interactive=False, verbosity=0)


def _child_provision(first: int, count: int) -> list[float]:
    from django.db import connection

    from provisioning.school_import import provisioning_connection_recycle
    from provisioning.services import school_provision
    from tests.factories import school_details, valid_bin

    timings, on_connection = [], 0
    for number in range(first, first + count):
        details = school_details(subdomain=f"citus-{number}", bin=valid_bin(700_000 + number))
        started = time.perf_counter()
        school_provision(details=details, send_invitations=False)
        timings.append(time.perf_counter() - started)
        on_connection = provisioning_connection_recycle(on_connection)
    connection.close()
    return timings


def _child_pages(requests: int) -> dict[str, list[float]]:
    from django.test import Client

    from tenants.models import Domain

    # Twenty schools in turn: what a burst of parents spread over a district looks like.
    hosts = list(
        Domain.objects.filter(is_primary=True)
        .exclude(tenant__schema_name="public")
        .order_by("domain")
        .values_list("domain", flat=True)[:PAGE_SCHOOLS]
    )
    clients = [Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="ru") for host in hosts]
    for client in clients:  # the first visit of a school fills per-process caches: not what is measured
        for path in PAGES:
            assert client.get(path).status_code == 200, (path, client.defaults)
    seconds: dict[str, list[float]] = {path: [] for path in PAGES}
    for number in range(requests):
        client = clients[number % len(clients)]
        for path in PAGES:
            started = time.perf_counter()
            response = client.get(path)
            seconds[path].append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
    return seconds


def child(args) -> None:
    os.environ["DATABASE_URL"] = args.child
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regional_platform.settings.dev")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    if args.phase == "setup":
        _child_setup()
        result = None
    elif args.phase == "provision":
        result = _child_provision(args.first, args.count)
    else:
        result = _child_pages(args.requests)
        for path, seconds in result.items():
            median, p95 = statistics.median(seconds) * 1000, _p95(seconds) * 1000
            print(f"page {path:<14} median {median:6.1f} ms  p95 {p95:6.1f} ms")
    print("RESULT " + json.dumps(result))


# --- the parent: both sides, alternated ---------------------------------------------------------------------


def _run(url: str, phase: str, **options) -> object:
    command = [sys.executable, __file__, "--child", url, "--phase", phase]
    for name, value in options.items():
        command += [f"--{name}", str(value)]
    done = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        sys.exit(f"{phase} on {url} failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
    return json.loads(lines[-1].removeprefix("RESULT "))


def _compare(label: str, base: list[float], other: list[float], names: tuple[str, str] = SIDES) -> str:
    """One line: the median and p95 of ``base`` and ``other`` (named by ``names``) and their ratio."""
    first, second = names
    return (
        f"{label:<22} {first} median {statistics.median(base) * 1000:7.1f} ms  p95 {_p95(base) * 1000:7.1f} ms"
        f"   {second} median {statistics.median(other) * 1000:7.1f} ms  p95 {_p95(other) * 1000:7.1f} ms"
        f"   {second}/{first} {statistics.median(other) / statistics.median(base):.2f}x"
        f" (n={len(base)}+{len(other)})"
    )


def pages_while_provisioning(url: str, *, schools: int, requests: int) -> None:
    """The pages of a fleet on its own, then while schools are opened beside it: on Citus every DDL statement
    on a table with a foreign key throws away every backend's metadata cache and foreign-key graph
    (docs/citus.md, "Known limit"), so a visitor's next query rebuilds them."""
    quiet = _run(url, "pages", requests=requests)
    command = [sys.executable, __file__, "--child", url, "--phase", "provision", "--first", "5000"]
    opening = subprocess.Popen([*command, "--count", str(schools)], cwd=BASE_DIR, stdout=subprocess.DEVNULL)
    try:
        time.sleep(3)  # the provisioning child is past Django's start-up
        busy = _run(url, "pages", requests=requests)
    finally:
        opening.wait()
    for path in PAGES:
        print(_compare(f"page {path}", quiet[path], busy[path], names=("quiet", "opening")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=40, help="schools provisioned on each side")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the two sides")
    parser.add_argument("--requests", type=int, default=200, help="requests per page and side")
    parser.add_argument(
        "--fleet",
        metavar="DATABASE_URL",
        help="instead: pages of that (big) database quiet, then while one process opens --schools more schools",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--phase", choices=["setup", "provision", "pages"], help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.fleet:
        pages_while_provisioning(args.fleet, schools=args.schools, requests=args.requests)
        return

    urls = {
        "single": bench_database_url("_citus_single", cluster=False)[0],
        "cluster": bench_database_url("_citus_cluster", cluster=True)[0],
    }
    print(f"machine: {os.cpu_count()} cores; {args.schools} schools a side, {args.rounds} rounds")
    try:
        for side in SIDES:
            started = time.perf_counter()
            _run(urls[side], "setup")
            print(f"setup {side}: public schema and template {time.perf_counter() - started:.1f} s")
        provisioned: dict[str, list[float]] = {side: [] for side in SIDES}
        share = max(1, args.schools // args.rounds)
        for round_number in range(args.rounds):
            for side in SIDES if round_number % 2 == 0 else reversed(SIDES):
                provisioned[side] += _run(urls[side], "provision", first=round_number * share, count=share)
        print(_compare("provisioning a school", provisioned["single"], provisioned["cluster"]))
        pages: dict[str, dict[str, list[float]]] = {side: {path: [] for path in PAGES} for side in SIDES}
        per_round = max(1, args.requests // args.rounds)
        for round_number in range(args.rounds):
            for side in SIDES if round_number % 2 == 0 else reversed(SIDES):
                for path, seconds in _run(urls[side], "pages", requests=per_round).items():
                    pages[side][path] += seconds
        for path in PAGES:
            print(_compare(f"page {path}", pages["single"][path], pages["cluster"][path]))
    finally:
        for url in urls.values():
            _drop(url)


if __name__ == "__main__":
    main()

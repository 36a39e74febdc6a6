"""deploy/compose.citus.yaml (docs/citus.md): its nodes are started with what Citus needs, and the one-shot
migrate service registers exactly the workers the file defines (entrypoint.sh runs cluster_setup with them)."""

from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _settings(command: list[str]) -> dict[str, str]:
    pairs = [command[index + 1] for index, word in enumerate(command) if word == "-c"]
    return dict(pair.split("=", 1) for pair in pairs)


def test_every_citus_node_loads_citus_with_two_phase_commit_and_logical_replication():
    compose = yaml.safe_load((DEPLOY / "compose.citus.yaml").read_text())
    nodes = {name: service for name, service in compose["services"].items() if "command" in service}
    assert set(nodes) >= {"db", "citus-worker-1", "citus-worker-2"}
    for name, service in nodes.items():
        settings = _settings(service["command"])
        assert settings["shared_preload_libraries"] == "citus", name
        assert settings["wal_level"] == "logical", name  # school_move and the rebalance copy schools online
        assert int(settings["max_prepared_transactions"]) > 0, name


def test_migrate_registers_exactly_the_workers_the_file_defines_and_the_entrypoint_passes_them_on():
    compose = yaml.safe_load((DEPLOY / "compose.citus.yaml").read_text())
    workers = {name for name in compose["services"] if name.startswith("citus-worker-")}
    named = compose["services"]["migrate"]["environment"]["CITUS_WORKER_NODES"].split(",")
    assert {address.rsplit(":", 1)[0] for address in named} == workers
    assert set(compose["services"]["migrate"]["depends_on"]) == workers
    entrypoint = (DEPLOY / "entrypoint.sh").read_text()
    migrate = entrypoint[entrypoint.index("  migrate)") :]
    assert migrate.index('cluster_setup --workers "$CITUS_WORKER_NODES"') < migrate.index("migrate_schemas")

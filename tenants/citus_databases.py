"""Databases on a Citus cluster: each one must exist on every node, with the extension, and know its workers.

Citus keeps its metadata (which nodes exist, where each schema lives) per database, and the coordinator
reaches a worker's database of the same name. So a new database (the platform's, or one per pytest-xdist
worker) is created on every node, ``CREATE EXTENSION citus`` runs in each, and the coordinator registers
itself and the workers there. Used by the launcher (``regional_platform.embedded_citus``) and the test
suite (``tests/conftest.py``); plain psycopg2, no Django.
"""

from __future__ import annotations

import contextlib
from typing import NamedTuple

import psycopg2
from psycopg2 import sql


class Node(NamedTuple):
    host: str
    port: int


@contextlib.contextmanager
def _cursor(node: Node, dbname: str, user: str, password: str | None):
    """A cursor outside any transaction (CREATE/DROP DATABASE refuse one; Citus' node functions commit alone)."""
    conn = psycopg2.connect(host=node.host, port=node.port, dbname=dbname, user=user, password=password)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


def _database_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def database_distribute(
    name: str, *, coordinator: Node, workers: list[Node], user: str, password: str | None = None
) -> None:
    """Make database ``name`` a Citus database on every node; safe to run again (a worker's new port too).

    Schema-based sharding is switched on for the database on the coordinator: every schema created
    there afterwards (one per school) becomes a distributed schema placed whole on one node. One database
    at a time across processes (an advisory lock on the coordinator): pytest-xdist's workers made theirs
    together, and two ``CREATE EXTENSION citus`` at once on a worker failed one ("tuple concurrently
    updated"), whose tests then all failed on that worker's connection.
    """
    with _cursor(coordinator, "postgres", user, password) as lock:
        lock.execute("SELECT pg_advisory_lock(%s)", [_DISTRIBUTE_LOCK_KEY])
        try:
            _distribute(name, coordinator=coordinator, workers=workers, user=user, password=password)
        finally:
            lock.execute("SELECT pg_advisory_unlock(%s)", [_DISTRIBUTE_LOCK_KEY])


_DISTRIBUTE_LOCK_KEY = 0x43_69_74_75  # "Citu"


def _distribute(name: str, *, coordinator: Node, workers: list[Node], user: str, password: str | None) -> None:
    for node in (coordinator, *workers):
        with _cursor(node, "postgres", user, password) as cursor:
            if not _database_exists(cursor, name):
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        with _cursor(node, name, user, password) as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS citus")
    with _cursor(coordinator, name, user, password) as cursor:
        # Workers are matched to what is registered by order of registration: a worker whose port changed
        # (its remembered one was taken) is updated in place, so the schools placed on it stay found.
        cursor.execute("SELECT nodeid, nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 ORDER BY nodeid")
        registered = cursor.fetchall()
        for index, worker in enumerate(workers):
            if index >= len(registered):
                cursor.execute("SELECT citus_add_node(%s, %s)", [worker.host, worker.port])
            elif registered[index][1:] != (worker.host, worker.port):
                cursor.execute("SELECT citus_update_node(%s, %s, %s)", [registered[index][0], *worker])
        # An updated node is marked out of sync and left to the maintenance daemon; sync now, since
        # setting the coordinator's address refuses a cluster whose metadata is out of sync.
        cursor.execute("SELECT start_metadata_sync_to_all_nodes()")
        cursor.execute("SELECT citus_set_coordinator_host(%s, %s)", [coordinator.host, coordinator.port])
        cursor.execute(
            sql.SQL("ALTER DATABASE {} SET citus.enable_schema_based_sharding = on").format(sql.Identifier(name))
        )


def database_drop(name: str, *, nodes: list[Node], user: str, password: str | None = None) -> None:
    """Drop database ``name`` on every node (the coordinator does not drop its workers' copies)."""
    for node in nodes:
        with _cursor(node, "postgres", user, password) as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def cluster_nodes(cursor) -> tuple[Node, list[Node]] | None:
    """The coordinator and workers of the database ``cursor`` is in, or None if it is not a Citus coordinator."""
    cursor.execute("SELECT to_regclass('pg_catalog.pg_dist_node') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(
        "SELECT groupid, nodename, nodeport FROM pg_dist_node WHERE noderole = 'primary' ORDER BY groupid, nodeid"
    )
    rows = cursor.fetchall()
    coordinators = [Node(host, port) for group, host, port in rows if group == 0]
    workers = [Node(host, port) for group, host, port in rows if group != 0]
    if not coordinators or not workers:
        return None
    return coordinators[0], workers

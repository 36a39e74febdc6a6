"""Where schools live when the database is a Citus cluster (issue 15), and moving them between nodes.

With Citus schema-based sharding each school's schema is a distributed schema: all its tables sit together
on one worker node, and Citus routes every query of a request (its search path is the school's schema) to
that node. The public schema stays on the coordinator. On a single PostgreSQL none of this applies: the
reads say so (``cluster_enabled``) and the writes refuse with a clear message.

Everything is read from Citus' own metadata on the coordinator, in one query whatever the number of schools.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from django.db import DatabaseError, InternalError, connection
from django.utils.translation import gettext as _


class ClusterError(Exception):
    """An operation on the cluster that cannot be done, with a message for the person who asked."""


@dataclass(frozen=True)
class Node:
    node_id: int
    host: str
    port: int
    holds_schools: bool  # Citus' shouldhaveshards: new and rebalanced schools may be placed there
    active: bool

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@functools.cache
def cluster_enabled() -> bool:
    """Whether this database runs Citus (the extension is installed in it); asked once per process, the
    console's pages show a school's node only on a cluster and must not pay a query for it elsewhere."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")
        return bool(cursor.fetchone()[0])


def cluster_nodes() -> list[Node]:
    """The cluster's primary nodes that can hold schools (the coordinator is one only if set to), by id."""
    if not cluster_enabled():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nodeid, nodename, nodeport, shouldhaveshards, isactive FROM pg_dist_node "
            "WHERE noderole = 'primary' AND (groupid <> 0 OR shouldhaveshards) ORDER BY nodeid"
        )
        return [Node(*row) for row in cursor.fetchall()]


# The node of each distributed schema: the placement of any one shard of the schema's co-located tables
# (they are all on the same node). LATERAL ... LIMIT 1 reads one shard a school, not its ~430.
_SCHOOL_NODES_SQL = """
SELECT ns.nspname, placement.nodeid, placement.nodename, placement.nodeport, placement.shouldhaveshards,
       placement.isactive
FROM pg_dist_schema ds
JOIN pg_namespace ns ON ns.oid = ds.schemaid
CROSS JOIN LATERAL (
    SELECT node.nodeid, node.nodename, node.nodeport, node.shouldhaveshards, node.isactive
    FROM pg_dist_partition part
    JOIN pg_dist_shard shard ON shard.logicalrelid = part.logicalrelid
    JOIN pg_dist_placement pl ON pl.shardid = shard.shardid
    JOIN pg_dist_node node ON node.groupid = pl.groupid AND node.noderole = 'primary'
    WHERE part.colocationid = ds.colocationid
    LIMIT 1
) placement
"""
_FOR_SCHEMAS = "WHERE ns.nspname = ANY(%s)"


def school_nodes(schema_names: list[str]) -> dict[str, Node]:
    """The node each of ``schema_names`` lives on (schemas not distributed are left out); one query."""
    if not schema_names or not cluster_enabled():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_SCHOOL_NODES_SQL + _FOR_SCHEMAS, [list(schema_names)])
        return {schema: Node(*node) for schema, *node in cursor.fetchall()}


def schools_per_node() -> dict[int, int]:
    """How many school schemas each node holds, by node id (one query)."""
    if not cluster_enabled():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nodeid, count(*) FROM ({_SCHOOL_NODES_SQL}) AS placed GROUP BY nodeid")
        return dict(cursor.fetchall())


def node_find(address: str) -> Node:
    """The node named by ``address``: ``host:port`` or its node id, as ``cluster_nodes`` lists them."""
    nodes = cluster_nodes()
    if not nodes:
        raise ClusterError(_("This database is not a Citus cluster: every school is on the one server."))
    for node in nodes:
        if address.strip() in (node.address, str(node.node_id)):
            return node
    known = ", ".join(f"{node.node_id} ({node.address})" for node in nodes)
    raise ClusterError(
        _("No node %(address)s in the cluster. Nodes: %(known)s.") % {"address": address, "known": known}
    )


# Waits between attempts of a move whose target still holds a leftover copy in use (school_move).
_CLEANUP_RETRY_SECONDS = (1, 2, 4)


def school_move(*, schema_name: str, to: Node) -> Node:
    """Move one school's schema to node ``to`` while it keeps serving (Citus copies it by logical
    replication, then blocks its writes for the switch-over only); returns the node it was on."""
    if not to.active or not to.holds_schools:
        raise ClusterError(
            _("Node %(address)s does not take schools (inactive or drained).") % {"address": to.address}
        )
    current = school_nodes([schema_name]).get(schema_name)
    if current is None:
        raise ClusterError(_("The school's schema is not distributed over the cluster."))
    if current.node_id == to.node_id:
        return current
    for wait in (*_CLEANUP_RETRY_SECONDS, None):
        try:
            with connection.cursor() as cursor:
                # Citus drops a moved school's old copy later, in the background; a copy still left on the
                # target (a school moved away and back) would make this move fail, so leftovers are cleaned
                # up first.
                cursor.execute("CALL citus_cleanup_orphaned_resources()")
                cursor.execute("SELECT citus_schema_move(%s::regnamespace, %s)", [schema_name, to.node_id])
        except InternalError as error:
            # A leftover still in use (a visitor's query on the old copy) cannot be dropped yet: wait a
            # little and try again, rather than fail a move back made right after the first one.
            if wait is None or "could not be cleaned up" not in str(error) or connection.in_atomic_block:
                raise
            time.sleep(wait)
        else:
            break
    return current


def schools_rebalance(*, wait: bool = False) -> int | None:
    """Start Citus' background rebalance, which spreads the schools evenly over the nodes that hold schools
    (a new node included), and with ``wait`` wait for its end; returns its job id, or None when the cluster
    is balanced already."""
    if not cluster_enabled():
        raise ClusterError(_("This database is not a Citus cluster: every school is on the one server."))
    with connection.cursor() as cursor:
        cursor.execute("CALL citus_cleanup_orphaned_resources()")  # as before a move (school_move)
        cursor.execute("SELECT citus_rebalance_start()")
        job = cursor.fetchone()[0]
    if job is not None and wait:
        _job_wait(job)
    return job


# Citus retries a failed move of a background job for ever, with a growing pause, and citus_rebalance_wait()
# waits as long: after this many failures of one move the job is cancelled and its error reported instead.
JOB_TASK_RETRIES = 3
_JOB_POLL_SECONDS = 1.0


def _job_wait(job_id: int) -> None:
    """Wait for Citus background job ``job_id`` to finish; a ClusterError with Citus' reason if it fails."""
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT state FROM pg_dist_background_job WHERE job_id = %s", [job_id])
            (state,) = cursor.fetchone()
            if state == "finished":
                return
            cursor.execute(
                "SELECT message FROM pg_dist_background_task WHERE job_id = %s AND status <> 'done'"
                " AND (status = 'error' OR retry_count >= %s) AND message IS NOT NULL ORDER BY task_id LIMIT 1",
                [job_id, JOB_TASK_RETRIES],
            )
            failed = cursor.fetchone()
            if failed is not None or state in ("cancelling", "cancelled", "failing", "failed"):
                if state not in ("cancelled", "failed"):
                    cursor.execute("SELECT citus_job_cancel(%s)", [job_id])
                reason = failed[0].strip() if failed else state
                raise ClusterError(
                    _("The rebalance (Citus background job %(job)d) stopped, nothing half-moved: %(reason)s")
                    % {"job": job_id, "reason": reason}
                )
        time.sleep(_JOB_POLL_SECONDS)


def _citus_call(sql: str, params: list) -> None:
    """One of Citus' node functions; its refusal (a node unreachable, schools still on it) becomes a
    ClusterError carrying Citus' own words."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        raise ClusterError(_("The cluster refused: %(reason)s") % {"reason": str(exc).strip()}) from exc


def address_parse(address: str) -> tuple[str, int]:
    """``host:port`` as written by an operator, or a ClusterError that shows how to write it."""
    host, _sep, port = address.strip().rpartition(":")
    if not host or not port.isdigit():
        raise ClusterError(_("Name the node as host:port, e.g. 10.0.0.7:5432."))
    return host, int(port)


def node_add(address: str) -> Node:
    """Register a new node (``host:port``, PostgreSQL with Citus and this platform's database on it, the
    extension created there): it takes new schools at once; ``schools_rebalance`` moves existing ones."""
    host, port = address_parse(address)
    if not cluster_enabled():
        raise ClusterError(_("This database is not a Citus cluster: every school is on the one server."))
    _citus_call("SELECT citus_add_node(%s, %s)", [host, port])
    return node_find(f"{host}:{port}")


def node_drain(node: Node) -> None:
    """Stop ``node`` taking schools and move every school on it to the others, online (before a machine is
    retired); it is then empty and can be removed."""
    _citus_call("SELECT citus_set_node_property(%s, %s, 'shouldhaveshards', false)", [node.host, node.port])
    _citus_call("SELECT citus_drain_node(%s, %s)", [node.host, node.port])
    # The moved schools' old copies go later, in the background; a node removed before that would keep them
    # on its disk, unknown to the cluster, and a school moved back there one day would collide with them.
    _citus_call("CALL citus_cleanup_orphaned_resources()", [])


def node_remove(node: Node) -> None:
    """Unregister an empty node (``node_drain`` empties one); Citus refuses while schools are on it."""
    held = schools_per_node().get(node.node_id, 0)
    if held:
        raise ClusterError(
            _("Node %(address)s still holds %(count)d schools: drain it first.")
            % {"address": node.address, "count": held}
        )
    _citus_call("SELECT citus_remove_node(%s, %s)", [node.host, node.port])


_LOCAL_SCHOOL_SCHEMAS_SQL = """
SELECT school.schema_name
FROM tenants_school school
JOIN pg_namespace ns ON ns.nspname = school.schema_name
WHERE school.schema_name <> 'public'
  AND NOT EXISTS (SELECT 1 FROM pg_dist_schema ds WHERE ds.schemaid = ns.oid)
ORDER BY school.schema_name
"""


def schools_local() -> list[str]:
    """The schools whose schema is still a plain one on the coordinator (made before the database became a
    cluster, or while schema-based sharding was off); one query."""
    if not cluster_enabled():
        return []
    with connection.cursor() as cursor:
        cursor.execute(_LOCAL_SCHOOL_SCHEMAS_SQL)
        return [row[0] for row in cursor.fetchall()]


def school_distribute(schema_name: str) -> Node:
    """Make one school's plain schema a distributed one, placed on a worker (Citus copies its rows there and
    blocks the school's writes meanwhile, a second or so); returns the node it is on."""
    _citus_call("SELECT citus_schema_distribute(%s::regnamespace)", [schema_name])
    return school_nodes([schema_name])[schema_name]

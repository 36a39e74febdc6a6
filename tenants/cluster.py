"""Where schools live when the database is a Citus cluster (issue 15), and moving them between nodes.

With Citus schema-based sharding each school's schema is a distributed schema: all its tables sit together
on one worker node, and Citus routes every query of a request (its search path is the school's schema) to
that node. The public schema stays on the coordinator. On a single PostgreSQL none of this applies: the
reads say so (``cluster_enabled``) and the writes refuse with a clear message.

Everything is read from Citus' own metadata on the coordinator, in one query whatever the number of schools.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection
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
    with connection.cursor() as cursor:
        # Citus drops a moved school's old copy later, in the background; a copy still left on the target
        # (a school moved away and back) would make this move fail, so leftovers are cleaned up first.
        cursor.execute("CALL citus_cleanup_orphaned_resources()")
        cursor.execute("SELECT citus_schema_move(%s::regnamespace, %s)", [schema_name, to.node_id])
    return current


def schools_rebalance(*, wait: bool = False) -> int | None:
    """Start Citus' background rebalance, which spreads the schools evenly over the nodes that hold schools
    (a new node included), and with ``wait`` wait for its end; returns its job id, or None when the cluster
    is balanced already."""
    if not cluster_enabled():
        raise ClusterError(_("This database is not a Citus cluster: every school is on the one server."))
    with connection.cursor() as cursor:
        cursor.execute("SELECT citus_rebalance_start()")
        job = cursor.fetchone()[0]
        if job is not None and wait:
            cursor.execute("SELECT citus_rebalance_wait()")
        return job

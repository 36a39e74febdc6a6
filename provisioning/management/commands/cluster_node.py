"""Add, drain and remove nodes of the Citus cluster: ``manage.py cluster_node add|drain|remove <node>``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tenants.cluster import ClusterError, node_add, node_drain, node_find, node_remove, schools_rebalance

from ._output import activate_language, add_language_argument


class Command(BaseCommand):
    help = (
        "add host:port registers a new node (then --rebalance moves schools onto it); drain moves every "
        "school off a node, online, and stops it taking new ones; remove unregisters an empty node "
        "(docs/citus.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "drain", "remove"])
        parser.add_argument("node", help="host:port (add), or host:port or the node id as cluster_nodes lists")
        parser.add_argument("--rebalance", action="store_true", help="after add: spread the schools, and wait")
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        try:
            message = getattr(self, f"_{options['action']}")(options)
        except ClusterError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(message))

    def _add(self, options) -> str:
        node = node_add(options["node"])
        if options["rebalance"]:
            schools_rebalance(wait=True)
            return _("Node %(address)s added (id %(id)d); the schools are spread over the nodes.") % {
                "address": node.address,
                "id": node.node_id,
            }
        return _("Node %(address)s added (id %(id)d); it takes new schools. Run schools_rebalance to move some.") % {
            "address": node.address,
            "id": node.node_id,
        }

    def _drain(self, options) -> str:
        node = node_find(options["node"])
        node_drain(node)
        return _("Node %(address)s holds no schools now and takes no new ones.") % {"address": node.address}

    def _remove(self, options) -> str:
        node = node_find(options["node"])
        node_remove(node)
        return _("Node %(address)s removed from the cluster.") % {"address": node.address}

"""The nodes of the Citus cluster and how many schools each holds: ``manage.py cluster_nodes``."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tenants.cluster import cluster_nodes, schools_per_node

from ._output import activate_language, add_language_argument


class Command(BaseCommand):
    help = "List the Citus cluster's nodes with the number of schools on each."

    def add_arguments(self, parser):
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        nodes = cluster_nodes()
        if not nodes:
            self.stdout.write(_("This database is not a Citus cluster: every school is on the one server."))
            return
        counts = schools_per_node()
        for node in nodes:
            state = _("takes schools") if node.holds_schools and node.active else _("takes no new schools")
            self.stdout.write(
                _("node %(id)d  %(address)s  %(count)d schools  (%(state)s)")
                % {"id": node.node_id, "address": node.address, "count": counts.get(node.node_id, 0), "state": state}
            )

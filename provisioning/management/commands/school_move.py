"""Move one school to another node of a Citus cluster, online: ``manage.py school_move <school> <node>``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tenants.cluster import ClusterError, node_find, school_move

from ._output import activate_language, add_language_argument, school_named


class Command(BaseCommand):
    help = (
        "Move a school's schema to another node of the Citus cluster while its site keeps answering "
        "(cluster_nodes lists the nodes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("school", help="the school's subdomain, host or schema name")
        parser.add_argument("node", help="the target node: host:port or its node id")
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        school = school_named(options["school"])
        try:
            target = node_find(options["node"])
            previous = school_move(schema_name=school.schema_name, to=target)
        except ClusterError as exc:
            raise CommandError(str(exc)) from None
        if previous.node_id == target.node_id:
            self.stdout.write(
                _("%(school)s is on %(node)s already.") % {"school": school.schema_name, "node": target.address}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Moved %(school)s from %(old)s to %(new)s.")
                % {"school": school.schema_name, "old": previous.address, "new": target.address}
            )
        )

"""Make the platform's database a Citus cluster's: ``manage.py cluster_setup --workers host:port,…``.

Run on the coordinator's database (DATABASE_URL) once the nodes are up, and again after adding one: it
creates the database and the extension on every node, registers the workers, and switches on
schema-based sharding, so that every school opened afterwards is placed on a worker. ``--distribute-existing``
then moves the schools opened before (a region grown out of one server) onto the workers, one by one.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from tenants.citus_databases import Node, database_distribute
from tenants.cluster import ClusterError, address_parse, cluster_enabled, school_distribute, schools_local

from ._output import activate_language, add_language_argument


def _node(address: str) -> Node:
    try:
        return Node(*address_parse(address))
    except ClusterError as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = (
        "Make this database a Citus cluster's (database and extension on every node, workers registered, "
        "schema-based sharding on); --distribute-existing moves the schools opened before onto the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", required=True, help="the worker nodes, host:port,host:port")
        parser.add_argument(
            "--coordinator",
            help="this database's server as the workers reach it, host:port (default: DATABASE_URL's)",
        )
        parser.add_argument("--distribute-existing", action="store_true", help="place the existing schools")
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        database = settings.DATABASES["default"]
        workers = [_node(address) for address in options["workers"].split(",") if address.strip()]
        if not workers:
            raise CommandError(_("Name at least one worker node."))
        coordinator = _node(options["coordinator"] or f"{database['HOST']}:{database['PORT'] or 5432}")
        connection.close()
        try:
            database_distribute(
                database["NAME"],
                coordinator=coordinator,
                workers=workers,
                user=database["USER"],
                password=database["PASSWORD"] or None,
            )
        except Exception as exc:  # psycopg2's errors: a node unreachable, Citus missing on one
            raise CommandError(_("The cluster could not be set up: %(reason)s") % {"reason": exc}) from None
        cluster_enabled.cache_clear()  # asked before the extension existed, perhaps
        self.stdout.write(
            self.style.SUCCESS(
                _("%(database)s is a Citus database on %(count)d workers; new schools are placed on them.")
                % {"database": database["NAME"], "count": len(workers)}
            )
        )
        if options["distribute_existing"]:
            self._distribute_existing()

    def _distribute_existing(self) -> None:
        local = schools_local()
        for number, schema_name in enumerate(local, start=1):
            try:
                node = school_distribute(schema_name)
            except ClusterError as exc:
                raise CommandError(
                    _("%(school)s stays on the coordinator: %(reason)s (%(done)d of %(count)d placed before it)")
                    % {"school": schema_name, "reason": exc, "done": number - 1, "count": len(local)}
                ) from None
            self.stdout.write(
                _("%(school)s placed on %(node)s (%(number)d of %(count)d)")
                % {"school": schema_name, "node": node.address, "number": number, "count": len(local)}
            )
        placed = _("%(count)d schools placed; run schools_rebalance --wait to even them out.") % {"count": len(local)}
        self.stdout.write(self.style.SUCCESS(placed))

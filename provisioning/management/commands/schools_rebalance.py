"""Spread the schools evenly over the cluster's nodes (after adding one): ``manage.py schools_rebalance``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tenants.cluster import ClusterError, schools_rebalance

from ._output import activate_language, add_language_argument


class Command(BaseCommand):
    help = (
        "Start Citus' background rebalance: schools move, online, until every node that takes schools "
        "holds about as many; --wait waits for it to finish."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wait", action="store_true", help="wait until the rebalance has finished")
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        try:
            job = schools_rebalance(wait=options["wait"])
        except ClusterError as exc:
            raise CommandError(str(exc)) from None
        if job is None:
            self.stdout.write(_("The schools are spread evenly already: nothing to move."))
            return
        if options["wait"]:
            self.stdout.write(
                self.style.SUCCESS(_("Rebalance finished (Citus background job %(job)d).") % {"job": job})
            )
        else:
            self.stdout.write(_("Rebalance started (Citus background job %(job)d).") % {"job": job})

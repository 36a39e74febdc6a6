"""gunicorn's settings beyond the command line (deploy/entrypoint.sh): the metrics of a worker that ended
are dropped from the shared folder (prometheus-client's multi-process mode, regional_platform.metrics)."""

from prometheus_client import multiprocess


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Screening ready before the first request that publishes (workflows.screening.warm). A failure here is
    logged, not raised: a worker that cannot boot stops gunicorn and the whole site, while screening alone
    would fail at its first text."""
    try:
        from workflows.screening.warm import warm_up

        warm_up()
    except Exception:
        worker.log.exception("Screening could not be made ready at start; it will load at its first text")

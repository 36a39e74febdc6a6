"""gunicorn's settings beyond the command line (deploy/entrypoint.sh): the metrics of a worker that ended
are dropped from the shared folder (prometheus-client's multi-process mode, regional_platform.metrics)."""

from prometheus_client import multiprocess


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)

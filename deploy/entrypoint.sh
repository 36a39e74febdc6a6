#!/bin/sh
# Process entry point: `web`, `worker`, `beat` or `migrate`, or any command.
# Each kind of process gets its own database time limits (settings: DB_*_TIMEOUT_MS): a web request
# fails fast; background work may take longer; migrations none.
set -e
case "$1" in
  web)
    export DB_STATEMENT_TIMEOUT_MS="${DB_STATEMENT_TIMEOUT_MS:-15000}" DB_LOCK_TIMEOUT_MS="${DB_LOCK_TIMEOUT_MS:-5000}"
    # Connections are recycled (CONN_MAX_AGE) and workers restarted after a while:
    # a process that visits many schools' schemas swells (design.md). The request log lines come
    # from the app (regional_platform.observability: host, school, duration), not gunicorn's.
    # The workers' request metrics meet in one folder, emptied at start (regional_platform.metrics).
    export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-/tmp/metrics}"
    rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    exec gunicorn regional_platform.wsgi -c deploy/gunicorn.conf.py --bind 0.0.0.0:8000 --workers "${WEB_WORKERS:-4}" \
      --max-requests 2000 --max-requests-jitter 200 --timeout "${WEB_TIMEOUT:-30}" ;;
  worker)
    export DB_STATEMENT_TIMEOUT_MS="${DB_STATEMENT_TIMEOUT_MS:-600000}" DB_LOCK_TIMEOUT_MS="${DB_LOCK_TIMEOUT_MS:-60000}"
    # WORKER_QUEUES: celery (fan-out: scans, publishing, digests), celery.interactive (imports, remind now).
    exec celery -A regional_platform worker -l info --concurrency "${WORKER_CONCURRENCY:-4}" \
      --max-tasks-per-child 500 -Q "${WORKER_QUEUES:-celery,celery.interactive}" ;;
  beat)
    exec celery -A regional_platform beat -l info -s /tmp/celerybeat-schedule ;;
  migrate)
    # On a Citus cluster (deploy/compose.citus.yaml, docs/citus.md): the database on every node, the workers
    # registered, schema-based sharding on, before any school schema is made. Safe to run every time.
    if [ -n "${CITUS_WORKER_NODES:-}" ]; then
      python manage.py cluster_setup --workers "$CITUS_WORKER_NODES" ${CITUS_COORDINATOR:+--coordinator "$CITUS_COORDINATOR"}
    fi
    exec python manage.py migrate_schemas --noinput ;;
  *)
    exec "$@" ;;
esac

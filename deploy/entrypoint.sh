#!/bin/sh
# Process entry point: `web`, `worker`, `beat` or `migrate`, or any command.
set -e
case "$1" in
  web)
    # Connections are recycled (CONN_MAX_AGE) and workers restarted after a while:
    # a process that visits many schools' schemas swells (design.md).
    exec gunicorn regional_platform.wsgi --bind 0.0.0.0:8000 --workers "${WEB_WORKERS:-4}" \
      --max-requests 2000 --max-requests-jitter 200 --access-logfile - ;;
  worker)
    exec celery -A regional_platform worker -l info --concurrency "${WORKER_CONCURRENCY:-4}" \
      --max-tasks-per-child 500 ;;
  beat)
    exec celery -A regional_platform beat -l info -s /tmp/celerybeat-schedule ;;
  migrate)
    exec python manage.py migrate_schemas --noinput ;;
  *)
    exec "$@" ;;
esac

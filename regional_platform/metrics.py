"""``/metrics`` for Prometheus: request latency, background jobs by outcome, the daily scan's lag, queue depth.

Request latency is measured in each web process and summed at scrape time (prometheus-client's
multi-process mode, when PROMETHEUS_MULTIPROC_DIR names a folder the processes share; deploy/ sets it).
Jobs, lag and queues are read when scraped from where they are kept (the JobRun table, the broker), so the
workers need no endpoint of their own. Not for the public: nginx answers 404, and the app serves it only
to a private or loopback address, or to whoever sends METRICS_TOKEN as a bearer token.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

import redis
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

METRICS_PATH = "/metrics"

REQUEST_SECONDS = Histogram(
    "platform_request_seconds",
    "Time to answer a request, by kind of page and status class.",
    ["kind", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 15.0, 30.0),
)


def request_kind(request) -> str:
    """A few kinds, never a school or a path: a label per school would multiply the series by thousands."""
    path = request.path
    if path.startswith("/static/"):
        return "static"
    if getattr(getattr(request, "tenant", None), "schema_name", "public") == "public":
        return "console"
    if path.startswith("/admin/"):
        return "editor"
    return "site"


def request_observe(request, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(kind=request_kind(request), status=f"{status // 100}xx").observe(seconds)


class PlatformStateCollector:
    """Read at scrape time: one query for the jobs, one for the scan's lag, one LLEN per queue."""

    def collect(self):
        from compliance.selectors import job_run_counts, scan_lag_seconds

        jobs = GaugeMetricFamily(
            "platform_job_runs", "Schools whose last run of a job is in this state.", labels=["job", "status"]
        )
        for row in job_run_counts():
            jobs.add_metric([row["job"], row["status"]], row["count"])
        yield jobs
        yield GaugeMetricFamily(
            "platform_scan_lag_seconds",
            "Since the least recently scanned active school was scanned.",
            value=scan_lag_seconds(now=timezone.now()),
        )
        depth = GaugeMetricFamily("platform_queue_depth", "Jobs waiting in a Celery queue.", labels=["queue"])
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
        try:
            for queue in (settings.CELERY_TASK_DEFAULT_QUEUE, settings.CELERY_INTERACTIVE_QUEUE):
                depth.add_metric([queue], client.llen(queue))
        finally:
            client.close()
        yield depth


def _allowed(request) -> bool:
    token = os.environ.get("METRICS_TOKEN", "")
    if token:
        return hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}")
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def metrics_response(request) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(status=404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    state = CollectorRegistry()
    state.register(PlatformStateCollector())
    response = HttpResponse(generate_latest(processes) + generate_latest(state), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response

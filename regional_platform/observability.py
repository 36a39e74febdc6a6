"""What an operator reads: one log line per request and per background task, naming the school.

Requests: id (the proxy's X-Request-ID, else a new one, echoed back), host, school, user, method, path,
status and duration. Tasks: name, id, school, outcome and duration. In production the lines are JSON
(LOG_FORMAT=json, python-json-logger), one object per line, so that a log store can filter by school.
"""

from __future__ import annotations

import logging
import time
import uuid

from celery.signals import task_failure, task_postrun, task_prerun, task_retry
from django.db import connection

from regional_platform.metrics import request_observe

request_logger = logging.getLogger("platform.request")
task_logger = logging.getLogger("platform.task")

REQUEST_ID_HEADER = "X-Request-ID"
_QUIET_PATHS = ("/healthz", "/readyz", "/metrics")


def _request_id(request) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    # Only what a proxy would send (nginx's $request_id is 32 hex digits): never a visitor's free text.
    if 8 <= len(given) <= 64 and all(char.isalnum() or char == "-" for char in given):
        return given
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Logs each request once it is answered; place it first, so that the duration covers the whole chain."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = _request_id(request)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        if not request.path.startswith(_QUIET_PATHS):
            seconds = time.perf_counter() - started
            request_observe(request, response.status_code, seconds)
            host = request.headers.get("Host", "")
            duration_ms = round(seconds * 1000, 1)
            request_logger.info(
                "%s %s%s %s %sms",
                request.method,
                host,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "request_id": request.request_id,
                    "host": host,
                    "school": getattr(getattr(request, "tenant", None), "schema_name", ""),
                    "user": _user_id(request),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
        return response


def _user_id(request) -> str:
    # Read only if authentication already looked: logging must not load a session of its own.
    user = getattr(request, "_cached_user", None)
    return str(user.pk) if user is not None and user.is_authenticated else ""


_task_started: dict[str, float] = {}


@task_prerun.connect(dispatch_uid="platform.task_prerun")
def _task_prerun(task_id=None, **kwargs) -> None:
    _task_started[task_id] = time.perf_counter()


def _log_task(task_id: str, task, outcome: str, level: int = logging.INFO) -> None:
    started = _task_started.pop(task_id, None) if outcome != "retry" else _task_started.get(task_id)
    school = getattr(connection, "schema_name", "")
    task_logger.log(
        level,
        "%s %s %s",
        getattr(task, "name", "?"),
        school,
        outcome,
        extra={
            "task": getattr(task, "name", "?"),
            "task_id": task_id,
            "school": school,
            "outcome": outcome,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        },
    )


@task_postrun.connect(dispatch_uid="platform.task_postrun")
def _task_postrun(task_id=None, task=None, state=None, **kwargs) -> None:
    if state in ("SUCCESS", None):
        _log_task(task_id, task, "success")


@task_failure.connect(dispatch_uid="platform.task_failure")
def _task_failure(task_id=None, sender=None, **kwargs) -> None:
    _log_task(task_id, sender, "failure", logging.ERROR)


@task_retry.connect(dispatch_uid="platform.task_retry")
def _task_retry(request=None, sender=None, **kwargs) -> None:
    _log_task(getattr(request, "id", ""), sender, "retry", logging.WARNING)

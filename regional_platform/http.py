"""The platform's HTTP edges: health probes for the orchestrator, and which responses a shared cache may keep.

Both are middleware of the project itself (not of one app): they look at every request, whatever its host.
"""

from __future__ import annotations

import json

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from regional_platform.metrics import METRICS_PATH, metrics_response

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def _database_ready() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _redis_ready() -> str:
    for url in {settings.CELERY_BROKER_URL, settings.CACHE_REDIS_URL}:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    return "ok"


def readiness() -> tuple[bool, dict[str, str]]:
    """Whether this process can serve: the database answers a query, Redis (broker and cache) a ping."""
    checks = {}
    for name, check in (("database", _database_ready), ("redis", _redis_ready)):
        try:
            checks[name] = check()
        except Exception as error:  # a probe reports what failed; it never raises
            checks[name] = f"{type(error).__name__}: {error}"[:200]
    return all(value == "ok" for value in checks.values()), checks


class HealthMiddleware:
    """``/healthz``: the process answers (liveness). ``/readyz``: it can reach PostgreSQL and Redis (readiness).
    ``/metrics``: Prometheus (regional_platform.metrics, not for the public).

    Before the host routing, on any host and over plain HTTP (SECURE_REDIRECT_EXEMPT): a probe from inside
    the container network knows neither the platform's domain nor TLS, and must not need a school, a session
    or the cache. Only the request log and the security headers come first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH:
            return _probe_response(200, {"status": "ok"})
        if request.path == READY_PATH:
            ready, checks = readiness()
            return _probe_response(200 if ready else 503, {"status": "ok" if ready else "unavailable", **checks})
        if request.path == METRICS_PATH:
            return metrics_response(request)
        return self.get_response(request)


def _probe_response(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    patch_cache_control(response, no_store=True)
    return response


# Paths of a school's host that are never a shared page: the editor, invitations, language and display
# switches (they set cookies). Files are served by views that decide their own caching (static files,
# Wagtail's documents, uploads), but only when they serve one: their errors are pages like any other.
PRIVATE_PREFIXES = ("/admin/", "/invite/", "/i18n/", "/account/")  # /account/: readers' sign-in (5.2)
OWN_RULES_PREFIXES = ("/files/", "/media/", "/static/")
PRIVATE = "private, no-store"


class PublicCacheMiddleware:
    """Anonymous pages of a school's site may be kept by a shared cache (nginx's micro-cache) for
    PUBLIC_PAGE_CACHE_SECONDS; everything else is ``private, no-store`` (issue 13): the console and its
    exports, the editor, errors, whatever a view said of caching itself.

    A response is public only when the request is a GET or HEAD on a school's host, carries no session
    cookie (whoever has one may be signed in), is not for the editor, an invitation or a switch, and the
    response is a 200 that sets no cookie. Browsers are told ``max-age=0``: they ask again, and the shared
    cache answers. The cache keys pages by the visitor's language and display settings (deploy/nginx.conf):
    the only things a public page varies by. A public page whose view chose its own caching keeps it, and
    so does a file served under OWN_RULES_PREFIXES.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(OWN_RULES_PREFIXES) and response.status_code in (200, 206, 304):
            return response
        if self._shareable(request, response):
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PUBLIC_PAGE_CACHE_SECONDS)
                # The language may come from a cookie: a cache that keys only by URL must keep them apart.
                # (nginx ignores Vary and keys by the language and display cookies alone; deploy/.)
                patch_vary_headers(response, ["Cookie"])
        elif not _private_and_unstored(response.get("Cache-Control", "")):
            # Whatever the view said of caching (a lifetime, "public"), nobody may keep a copy.
            response["Cache-Control"] = PRIVATE
        return response

    @staticmethod
    def _shareable(request, response) -> bool:
        from tenants.models import School  # the app registry is ready once requests are served

        return (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and isinstance(getattr(request, "tenant", None), School)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(PRIVATE_PREFIXES)
            and not response.cookies
        )


def _private_and_unstored(cache_control: str) -> bool:
    directives = {part.strip().split("=")[0].lower() for part in cache_control.split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives

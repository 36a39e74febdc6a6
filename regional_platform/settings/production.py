"""Production: behind a TLS-terminating proxy (deploy/nginx.conf)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, MIDDLEWARE, SECRET_KEY, STORAGES
from .environment import env_bool, env_float, env_int, env_str

DEBUG = False
MEDIA_X_ACCEL_REDIRECT = env_bool("MEDIA_X_ACCEL_REDIRECT", True)

if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "Production needs a real SECRET_KEY: at least 50 random characters, "
        "for example from `python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

CONN_MAX_AGE = env_int("CONN_MAX_AGE", 300)
DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE

# Static files: collected into the image at build time with hashed, compressed copies (gzip and
# brotli), served by every web process with a year's caching (whitenoise). No volume is shared between
# the image and the proxy, and a deploy can never serve new pages with old stylesheets.
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
MIDDLEWARE.insert(
    MIDDLEWARE.index("regional_platform.http.PublicCacheMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)  # nginx appends the client's address (accounts.sign_in)
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Logs: one JSON object per line (regional_platform.observability), unless LOG_FORMAT says otherwise.
LOGGING["handlers"]["console"]["formatter"] = env_str("LOG_FORMAT", "json")

# Errors and slow transactions go to Sentry (or a compatible service) when SENTRY_DSN is set. No
# personal data: visitors are children and parents; the request id ties a report to the log line.
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
        send_default_pii=False,
    )

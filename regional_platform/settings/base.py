"""Settings shared by every environment; dev, test and production adjust them.

Everything that differs between machines comes from the environment (see
README, "Configuration"). Topic modules hold what would crowd this file.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from .environment import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)

# The regional platform answers at PLATFORM_DOMAIN; school N at <subdomain>.PLATFORM_DOMAIN.
PLATFORM_DOMAIN = env_str("PLATFORM_DOMAIN", "localhost").lower()
# How visitors reach the sites: used in links that leave the request (e-mails, Site records).
PLATFORM_SCHEME = env_str("PLATFORM_SCHEME", "https")
PLATFORM_PORT = env_int("PLATFORM_PORT", 443 if PLATFORM_SCHEME == "https" else 80)
# The platform's own hosts always; ALLOWED_HOSTS adds schools' custom domains.
ALLOWED_HOSTS = [PLATFORM_DOMAIN, f".{PLATFORM_DOMAIN}", *env_list("ALLOWED_HOSTS", [])]

# --- Applications --------------------------------------------------------------------
# The floors of docs/architecture.md. `provisioning` comes before `django_tenants` so that
# its migrate commands (which keep the provisioning template current) take precedence
# over django-tenants' own.
SHARED_APPS = [
    "tenants",  # the registry of schools and their hosts (tenancy core)
    "provisioning",  # new schools from the recorded template, bulk onboarding; tables under "tenants"
    "django_tenants",
    "accounts",  # sign-in throttling (its counters: the one table, public schema only), second factor, invitations
    "compliance",  # the region's ledger of every school's sections, reminders, job runs
    "console",  # the regional office's console; no tables of its own
    "django.contrib.contenttypes",
    "django.contrib.auth",  # regional staff live in the public schema
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # the widgets' templates, for FORM_RENDERER; no tables
    "django_filters",  # needed by Wagtail's admin; has no tables
    "django.contrib.sitemaps",  # templates for sitemap.xml; no tables
    "django_otp",  # second factor of the office administrators (console.staff)
    "django_otp.plugins.otp_totp",
    "demo",  # the demo region's command (make demo); no tables
]
# Every table here is multiplied by the number of schools: install only what the
# product uses (design.md, "Every table is multiplied").
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",  # a school's staff, pupils and parents live in its schema
    "django.contrib.sessions",  # a session of school A is unknown to school B
    "school_sections",
    "workflows",
    "django_otp",  # second factor of administrators and directors (accounts.two_factor)
    "django_otp.plugins.otp_totp",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.sites",
    "wagtail.contrib.settings",  # the school's identity under Settings; no tables of its own
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.School"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "regional_platform.urls_public"
ROOT_URLCONF = "regional_platform.urls_tenants"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Send `SET search_path` once per schema switch, not before every query (half the
# round trips of a page). Safe because nothing else sets search_path (the recorded
# provisioning template leaves those statements out), and django-tenants re-sends it
# after a rollback or a savepoint rollback, which undo it.
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "regional_platform.observability.RequestLogMiddleware",  # first: the duration covers the whole chain
    # The security headers, the Content-Security-Policy and X-Frame-Options wrap everything below, so every
    # response has them: probes, static files, and the host routing's early 404 and 503 pages included.
    "django.middleware.security.SecurityMiddleware",
    "regional_platform.csp.ContentSecurityPolicyMiddleware",  # a nonce per request; the policy of HTML pages
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # inside the CSP: frame-ancestors repeats it
    "regional_platform.http.HealthMiddleware",  # /healthz and /readyz on any host, before the host routing
    "regional_platform.http.PublicCacheMiddleware",  # anonymous pages public for the micro-cache, else private
    "tenants.middleware.SchoolTenantMiddleware",  # picks the schema from the host
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "school_sections.middleware.LanguageParameterMiddleware",  # ?lang=ru wins over cookie and browser
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): second factor passed
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.two_factor.SecondFactorMiddleware",  # administrators and directors use it in the editor
]
# Probes come over plain HTTP from inside the container network (regional_platform.http).
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.school",
                "school_sections.context_processors.site_identity",
                "regional_platform.csp.csp",  # {{ csp_nonce }}
            ],
            # {% load csp %}{% csp_nonce %}: the nonce where the request is not at hand (form widgets).
            "libraries": {"csp": "regional_platform.csp"},
        },
    },
]

# Form widgets are rendered with the templates above (not Django's own engine for forms), so that the
# editor's widgets in templates/wagtailadmin/ can give their inline scripts the request's nonce.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "regional_platform.wsgi.application"
ASGI_APPLICATION = "regional_platform.asgi.application"

# --- Data stores ------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Run commands through the launcher, which starts the embedded "
        "PostgreSQL and Redis (make run CMD='python manage.py ...'), or set DATABASE_URL and REDIS_URL."
    )
DATABASES = {
    "default": {
        **dj_database_url.parse(DATABASE_URL),
        # django-tenants' backend with the content-type cache kept per schema (tenants/db_backend).
        "ENGINE": "tenants.db_backend",
        # Finite: a connection that visits many schemas swells (design.md, "Long-lived").
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
    }
}
# A connection that has visited more schemas than this is closed at the next safe point (the end of a
# request, or between the schools of a batch task): a backend keeps the catalog of every school it has
# read, and a fresh one pays a few milliseconds more for its first school (tenants/db_backend, bench/README.md).
MAX_SCHEMAS_PER_CONNECTION = env_int("MAX_SCHEMAS_PER_CONNECTION", 50)
# A statement that runs longer, or waits longer for a lock, is cancelled: a web request must fail fast
# rather than hold a worker (deploy/entrypoint.sh gives web and background processes their own limits;
# 0 means none). Sent as connection options: PgBouncer needs `ignore_startup_parameters = options`.
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 0)
DB_LOCK_TIMEOUT_MS = env_int("DB_LOCK_TIMEOUT_MS", 0)
if DB_STATEMENT_TIMEOUT_MS or DB_LOCK_TIMEOUT_MS:
    DATABASES["default"]["OPTIONS"] = {
        "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS} -c lock_timeout={DB_LOCK_TIMEOUT_MS}"
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")


def _redis_database(url: str, offset: int) -> str:
    """``url`` with its database number moved by ``offset``: redis://h:6379/0 (or no number) -> redis://h:6379/1."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("redis"):
        return url
    number = parts.path.strip("/") or "0"
    if not number.isdigit():
        return url
    return urlunsplit(parts._replace(path=f"/{(int(number) + offset) % 16}"))


# The broker (Celery's queues) keeps REDIS_URL's database; the cache the next one, so that clearing the
# cache (FLUSHDB) can never take queued jobs with it. Both can be named outright.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CACHE_REDIS_URL = env_str("CACHE_REDIS_URL", _redis_database(REDIS_URL, 1))
CACHES = {
    "default": {
        "BACKEND": "regional_platform.cache.ForgivingRedisCache",  # Redis down is a miss, not an error
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "cache"),
        # Wagtail caches site root paths under fixed keys: without the schema in
        # every key, school B's links pointed at school A's host (design.md).
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        # A Redis that hangs must not hang the sites: give up quickly and answer as a miss.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    # Region-wide data that every school reads the same (announcements): keys without a schema.
    "region": {
        "BACKEND": "regional_platform.cache.ForgivingRedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "cache") + "-region",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
}

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static_collected")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
# Each school's uploads live under MEDIA_ROOT/<schema>/, never beside another school's.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
# Uploads are served by school_sections.views.media (only the host's own school); in production
# it answers with X-Accel-Redirect and nginx sends the file.
MEDIA_X_ACCEL_REDIRECT = env_bool("MEDIA_X_ACCEL_REDIRECT", False)
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Per-school archives (provisioning.backup): the nightly job's folder and how many days it keeps.
BACKUP_ROOT = Path(env_str("BACKUP_ROOT", str(BASE_DIR / ".data" / "backups")))
SCHOOL_BACKUP_KEEP_DAILY = env_int("SCHOOL_BACKUP_KEEP_DAILY", 7)
# The folder of pg_dump/pg_restore of the server's major version (provisioning.pg_tools); empty: looked for.
PG_BIN_DIR = env_str("PG_BIN_DIR", "")
# What the archives name as the code's version where there is no git repository (the image).
PLATFORM_VERSION = env_str("PLATFORM_VERSION", "")
# How long the proxy's micro-cache may answer for an anonymous page (regional_platform.http): a
# publication is visible to every visitor within this many seconds.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 30)

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
# A message to people whose language is not known (invitations, the office's digest) carries both of these.
MESSAGE_LANGUAGES = ("kk", "ru")
# The project's own catalogues first; then Kazakh for the libraries the editors meet, which ship none or
# little (Wagtail, taggit, parts of Django): regional_platform/vendor_catalogues.py keeps them.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
FORMAT_MODULE_PATH = ["regional_platform.formats"]  # Kazakh dates and numbers (Django has none)
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Almaty")
USE_TZ = True

# --- Accounts -----------------------------------------------------------------------------
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:school_list"
LOGOUT_REDIRECT_URL = "console:login"
AUTHENTICATION_BACKENDS = ["accounts.sign_in.ThrottledModelBackend"]
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.sign_in.ThrottledLoginForm"
# How many proxies in front of the web processes append to X-Forwarded-For (deploy/nginx.conf.template:
# one). Sign-in throttling counts per client: with 0 it is REMOTE_ADDR; with N, the N-th address from the
# right of X-Forwarded-For, the one the outermost trusted proxy saw (entries further left are the
# client's own words). Production assumes nginx in front; say 0 if the web processes face clients.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Invitation links use Django's password-reset tokens: valid once, for a week.
# They are e-mailed; shown to whoever provisioned the school only in development,
# since whoever holds a link can become the school's director.
SHOW_INVITATION_LINKS = env_bool("SHOW_INVITATION_LINKS", False)
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds to wait for the mail server: without a limit, one that never answers holds a worker forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"noreply@{PLATFORM_DOMAIN}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background jobs ------------------------------------------------------------------------
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
# A worker rides out a broker outage: it reconnects for as long as it takes, and a Redis lost while it holds
# unacknowledged messages no longer kills it (regional_platform.broker explains the crash it avoids).
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = "regional_platform.broker:Transport"
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # forever
# A task running when the connection goes can no longer be acknowledged: it will be delivered again, so it
# is stopped rather than left to run beside its second delivery.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A killed worker's messages go back to their queue after this long (Redis's default is an hour). Also the
# longest a task may run before another worker is handed it as well: the school tasks take seconds; the long
# ones (imports, openings) run alone whatever the number of deliveries (provisioning.tasks).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# One beat at a time, however many are started: the others wait as standbys (regional_platform.beat).
CELERY_BEAT_SCHEDULER = "regional_platform.beat:SingleBeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30  # how soon a beat notices it lost the lock
# Two queues, so that a person waiting for a result is never behind the nightly fan-out: interactive work
# (an import, opening a school, remind-now) and fan-out work (scans, scheduled publishing, digests,
# snapshots). A worker takes both unless told otherwise (deploy/entrypoint.sh: WORKER_QUEUES).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_INTERACTIVE_QUEUE = env_str("CELERY_INTERACTIVE_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}.interactive")
INTERACTIVE_TASKS = (
    "compliance.tasks.remind_now_task",
    "tenants.tasks.school_import_task",
    "provisioning.tasks.school_import_check_task",
    "provisioning.tasks.school_opening_task",
    "provisioning.tasks.schema_template_build_task",
    "provisioning.tasks.provisioning_steps_task",  # a new school's invitations, while the office waits
)
# An uploaded CSV of up to this many schools is checked while the officer waits (a few seconds); a
# longer one in the background, with a progress bar (provisioning.bulk_onboarding).
IMPORT_CHECK_IN_REQUEST_MAX_ROWS = env_int("IMPORT_CHECK_IN_REQUEST_MAX_ROWS", 200)


def celery_queues(default: str, interactive: str) -> tuple[tuple, dict]:
    """The queues and the routes of the interactive tasks (a function: the test settings rename the queues)."""
    # Each queue its own routing key, so that a message can only ever be bound to the queue it names.
    queues = (Queue(default, routing_key=default), Queue(interactive, routing_key=interactive))
    return queues, {task: {"queue": interactive} for task in INTERACTIVE_TASKS}


CELERY_TASK_QUEUES, CELERY_TASK_ROUTES = celery_queues(CELERY_TASK_DEFAULT_QUEUE, CELERY_INTERACTIVE_QUEUE)
CELERY_BEAT_SCHEDULE: dict = {
    # Each dispatcher sends one task per active school (compliance.tasks).
    "daily-compliance-scan": {"task": "compliance.tasks.scan_dispatch", "schedule": crontab(hour=2, minute=0)},
    # After the scan's fan-out and its retries: the day's trend point.
    "compliance-snapshot": {
        "task": "compliance.tasks.compliance_snapshot_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Clause 5.6: every school's links, files and alt text, after the scan (external links fetched politely).
    "site-health": {"task": "compliance.tasks.site_health_dispatch", "schedule": crontab(hour=3, minute=30)},
    "regional-digest": {"task": "compliance.tasks.regional_digest_task", "schedule": crontab(hour=7, minute=0)},
    "weekly-digest": {
        "task": "compliance.tasks.weekly_digest_dispatch",
        "schedule": crontab(day_of_week="mon", hour=6, minute=0),
    },
    "scheduled-publishing": {"task": "compliance.tasks.scheduled_publishing_dispatch", "schedule": 300.0},
    # Work queued while the broker was down (imports, openings), or whose worker was killed, is queued again.
    "stalled-work-requeue": {"task": "provisioning.tasks.stalled_work_requeue_task", "schedule": 60.0},
    "job-runs-sweep": {"task": "compliance.tasks.job_runs_abandoned_sweep", "schedule": 600.0},
    # The office's "remind now" that could not be queued (broker down) goes out once the broker is back.
    "waiting-reminders-sweep": {"task": "compliance.tasks.waiting_reminders_sweep", "schedule": 300.0},
    # One archive per school (provisioning.backup_schedule), before the scan's fan-out.
    "school-backups": {"task": "provisioning.tasks.school_backup_dispatch", "schedule": crontab(hour=0, minute=30)},
    # New schools' invitations and first scans that failed or were never queued (provisioning.outbox).
    "provisioning-steps-sweep": {"task": "provisioning.tasks.provisioning_steps_sweep_task", "schedule": 300.0},
    # Every school's schema against its template (provisioning.schema_drift), after the night's backups and scan.
    "schools-drift": {"task": "provisioning.tasks.schools_drift_task", "schedule": crontab(hour=5, minute=0)},
}

# --- Stale content (clauses 1.2, 2.2.3, 5.7) -------------------------------------------------
# Who is reminded how many days after a section went stale; "region" goes into the office's digest.
COMPLIANCE_ESCALATION = [("responsible", 0), ("administrator", 7), ("director", 14), ("region", 30)]
FAN_OUT_BATCH_SIZE = 100  # schools per batch of a fan-out (compliance.tasks.schools_fan_out)
# Schools per task of the daily scan: a task per school cost about as much as a worst-case scan in broker
# round trips, connections and bookkeeping (bench/README.md); a worker killed mid-task redoes at most these.
SCAN_SCHOOLS_PER_TASK = env_int("SCAN_SCHOOLS_PER_TASK", 20)
# A job run still "running" this long after it started was abandoned by a killed worker.
JOB_RUN_ABANDONED_SECONDS = env_int("JOB_RUN_ABANDONED_SECONDS", 2 * CELERY_VISIBILITY_TIMEOUT)
COMPLIANCE_REMINDER_LEASE_SECONDS = 600  # a claimed, unsent reminder is taken over after this
# (month, day): each school's annual report is due by this day every year (clause 3.1.3).
ANNUAL_REPORT_DUE = (9, 1)

from .cms import *  # noqa: E402, F403

# One line per request and per task (regional_platform.observability); LOG_FORMAT=json in production.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Wagtail logs every page action and django-tasks every immediate task at INFO.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # The request lines say more than Django's own (host, school, duration).
        "django.server": {"level": "WARNING"},
    },
}

"""The test suite: real PostgreSQL and Redis, fast password hashing, mail kept in memory."""

import os
import tempfile
import uuid
from pathlib import Path

# Assigned, not defaulted: the tests expect these hosts whatever the shell exports.
os.environ["PLATFORM_SCHEME"] = "http"
os.environ["PLATFORM_PORT"] = "80"
os.environ["PLATFORM_DOMAIN"] = "edu.test"
os.environ.pop("ALLOWED_HOSTS", None)

from .base import *  # noqa: F403
from .base import CACHES, celery_queues

SECRET_KEY = "test-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Uploads of a test run go to a folder of its own (removed when the run ends).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="platform-test-media-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A key space of its own per run: schools of an earlier run had the same schema
# names but other rows, and must not answer from the cache.
CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
CACHES["default"]["TIMEOUT"] = 600
CACHES["region"]["KEY_PREFIX"] = CACHES["default"]["KEY_PREFIX"] + "-region"
SHOW_INVITATION_LINKS = True
# Tasks of a test run go to a queue of their own: a demo's worker on the same Redis must not take them.
CELERY_TASK_DEFAULT_QUEUE = f"test-{uuid.uuid4().hex[:12]}"
CELERY_INTERACTIVE_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}.interactive"
CELERY_TASK_QUEUES, CELERY_TASK_ROUTES = celery_queues(CELERY_TASK_DEFAULT_QUEUE, CELERY_INTERACTIVE_QUEUE)

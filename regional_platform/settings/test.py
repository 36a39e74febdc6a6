"""The test suite: real PostgreSQL and Redis, fast password hashing, mail kept in memory."""

import os

os.environ.setdefault("PLATFORM_SCHEME", "http")
os.environ.setdefault("PLATFORM_PORT", "80")
os.environ.setdefault("PLATFORM_DOMAIN", "edu.test")

from .base import *  # noqa: E402, F403
from .base import CACHES  # noqa: E402

SECRET_KEY = "test-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A separate key space, so tests never see the demo's cache.
CACHES["default"]["KEY_PREFIX"] = "test"

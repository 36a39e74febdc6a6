"""Development: `make demo` and `manage.py` on a developer's machine."""

import os

from .environment import env_bool, env_str

os.environ.setdefault("PLATFORM_SCHEME", "http")
os.environ.setdefault("PLATFORM_PORT", "8000")

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-secret-key-not-for-production")
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]
# Invitation links are printed on the console instead of being e-mailed.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
SHOW_INVITATION_LINKS = env_bool("SHOW_INVITATION_LINKS", True)

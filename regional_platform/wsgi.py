"""WSGI entry point for production servers (gunicorn regional_platform.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regional_platform.settings.production")

application = get_wsgi_application()

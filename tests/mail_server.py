"""A mail server that is down, for real: Django's SMTP backend pointed at a local port where nothing listens."""

import socket

import pytest


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    """E-mail goes over SMTP to a server that refuses connections. Returns the test run's own backend (kept in
    memory), for a test to set ``settings.EMAIL_BACKEND`` back to when the server is up again."""
    up_again = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return up_again

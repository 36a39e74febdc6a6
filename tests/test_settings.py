"""Production settings: refuse to start without a real SECRET_KEY; pass `check --deploy` cleanly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _manage(*args, **env_overrides) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "regional_platform.settings.production", **env_overrides}
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_real_secret_key():
    for weak in (None, "", "short", "django-insecure-" + "x" * 60):
        result = _manage("check", SECRET_KEY=weak)
        assert result.returncode != 0
        assert "Production needs a real SECRET_KEY" in result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(64), PLATFORM_DOMAIN="edu.kz"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_a_database_url_the_message_says_what_to_do():
    result = _manage("check", DATABASE_URL=None, DJANGO_SETTINGS_MODULE="regional_platform.settings.dev")
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr

"""Browser tests: Debian's chromium driven by playwright, against the platform served on a free port."""

import shutil

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection
from django.test.testcases import LiveServerThread

CHROMIUM = shutil.which("chromium")
skip_without_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="browser tests skipped: Debian's chromium is not installed (as root: apt-get install chromium)",
)
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Every host (edu.test, <school>.edu.test) is this machine: no DNS needed.
    "--host-resolver-rules=MAP * 127.0.0.1",
]


@pytest.fixture(scope="module")
def server(session_schools, django_db_blocker):
    """The platform served on a free port, with committed data (not a test transaction)."""
    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield thread.port
        thread.terminate()
        connection.set_schema_to_public()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes
    # Django refuse database calls here; the tests themselves make them synchronously.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", accept_downloads=True)
    yield context.new_page()
    context.close()


def console_sign_in(page, console_url: str, username: str, password: str, enrolment_code: str = "") -> None:
    """Sign in to the regional console; an office administrator enrols an authenticator app first, with
    the office's one-time ``enrolment_code`` (accounts.enrolment)."""
    from tests.factories import totp_code

    page.goto(f"{console_url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.form button[type=submit]")
    # Wait for where the sign-in leads (the console, or the second factor first), not for the click alone.
    page.wait_for_url(lambda url: "/second-factor/" in url or url == f"{console_url}/")
    if "/second-factor/" in page.url:
        if page.locator("#id_code").count():
            page.fill("#id_code", enrolment_code)
            page.click("form.form button[type=submit]")
            page.locator("#second-factor-key").wait_for()
        secret = page.locator("#second-factor-key").inner_text()
        page.fill("#id_token", totp_code(secret))
        page.click("form.form button[type=submit]")
    page.wait_for_url(f"{console_url}/")


def editor_sign_in(page, site: str, username: str, password: str, key: str | None = None) -> None:
    """Sign in to a school's editor at ``site``; ``key`` is the authenticator's secret when the role has one."""
    from tests.factories import totp_code

    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.login-form button[type=submit]")
    if key:
        page.wait_for_url("**/admin/second-factor/**")
        page.fill("#id_token", totp_code(key))
        page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{site}/admin/")

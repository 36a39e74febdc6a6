"""Screenshots of a demo school's site for the README (``make screenshots``), from the demo already running.

Starts nothing: it asks ``make demo``'s server for a school's home page, a section, search results and the
low-vision mode, at a desktop and a phone width, in headless Chromium (Debian's ``chromium``), and writes
PNG files. Without Django: it is a browser, like a parent's.

    python -m demo.screenshots [--site http://school-1.localhost:8000] [--language kk] [--out docs/screenshots]

The default site is on the port of ``DEMO_ADDRESS`` when it is set, as ``make demo`` serves it.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import sys
import urllib.parse
from pathlib import Path

SCREENS = [
    ("home", "/", None),
    ("section", "/contacts/", None),
    ("search", "/search/?q=олимпиада", None),
    ("low-vision", "/", "2-black-1"),
]
VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 812)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * 127.0.0.1"]


def _reachable(url: str) -> bool:
    """Whether the demo answers at ``url``; ``*.localhost`` is this machine (as the browser is told)."""
    parts = urllib.parse.urlsplit(url)
    host = "127.0.0.1" if (parts.hostname or "").endswith("localhost") else parts.hostname
    connection = http.client.HTTPConnection(host, parts.port or 80, timeout=10)
    try:
        connection.request("GET", parts.path or "/", headers={"Host": parts.netloc})
        connection.getresponse()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def screenshots_take(site: str, language: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed (as root: apt-get install chromium).")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for viewport_name, (width, height) in VIEWPORTS.items():
            for name, path, low_vision in SCREENS:
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
                if low_vision:
                    context.add_cookies([{"name": "low_vision", "value": low_vision, "url": site}])
                page = context.new_page()
                separator = "&" if "?" in path else "?"
                page.goto(f"{site}{path}{separator}lang={language}", wait_until="networkidle")
                if low_vision:
                    page.click(".display-settings summary")  # the settings, open
                target = out / f"{name}-{viewport_name}.png"
                page.screenshot(path=str(target), full_page=viewport_name == "phone" and name == "home")
                written.append(target)
                context.close()
        browser.close()
    return written


def default_site() -> str:
    """School 1 of the demo, on the port ``make demo`` serves on (``DEMO_ADDRESS``: ``[address:]port``)."""
    port = os.environ.get("DEMO_ADDRESS", "8000").rpartition(":")[2]
    return f"http://school-1.localhost:{port}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=default_site(), help="a school site of the running demo")
    parser.add_argument("--language", default="kk", choices=["kk", "ru", "en"])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    options = parser.parse_args(argv)
    if not _reachable(options.site + "/"):
        print(f"Nothing answers at {options.site}: start `make demo` first (this command starts nothing).")
        return 1
    for path in screenshots_take(options.site.rstrip("/"), options.language, options.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

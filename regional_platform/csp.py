"""Content-Security-Policy on every HTML page: scripts and style elements only from the platform itself, or
inline with the request's nonce (issue 13).

Django 5.2 has none built in (Django 6.0 will; the names here follow it: ``request.csp_nonce``, ``csp_nonce``
in templates), and django-csp is not installed. The nonce is made when a template first asks for it, so a
page with no inline script (every public page and console screen) gets a policy without one: nothing to
reuse when the micro-cache keeps the page for a few seconds.

The editor (``/admin/``) is Wagtail's: its inline scripts (date pickers, inline panels) carry the nonce
through the template overrides in ``templates/wagtailadmin/``, which are form widgets rendered without the
request, hence the ``{% csp_nonce %}`` tag that reads the request being served from a context variable; its
choosers write their script in Python, so ``BaseChooser.render`` is given the nonce here (the only place
Wagtail offers none). Wagtail's scripts also still add ``<style>`` elements and ``style``
attributes, and show uploads as ``blob:`` and ``data:`` images (wagtail/wagtail#1288, #12368; chromium
reported them in tests/test_browser_csp.py): the editor's policy allows inline styles and those images,
and its scripts stay as strict as everywhere else.
"""

from __future__ import annotations

import secrets
from contextvars import ContextVar

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

HEADER = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"
EDITOR_PREFIX = "/admin/"
# X-Frame-Options (set by Django's middleware inside this one, or by a view) says who may frame the page.
FRAME_ANCESTORS = {"DENY": "'none'", "SAMEORIGIN": "'self'"}


class RequestNonce:
    """The request's nonce, made when first rendered (``str``): whether it was is what ``used`` tells."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = secrets.token_urlsafe(18)
        return self._value

    @property
    def used(self) -> bool:
        return self._value is not None


_current_nonce: ContextVar[RequestNonce | None] = ContextVar("csp_nonce", default=None)


def content_security_policy(*, nonce: str | None, editor: bool, frame_options: str | None) -> str:
    sources = ["'self'", f"'nonce-{nonce}'"] if nonce else ["'self'"]
    directives = {
        "default-src": ["'self'"],
        "script-src": sources,
        # Wagtail's scripts add <style> elements and style="…" attributes of their own; styles run nothing.
        "style-src": ["'self'", "'unsafe-inline'"] if editor else sources,
        "img-src": ["'self'", "data:", "blob:"] if editor else ["'self'", "data:"],  # data: the second factor's QR
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],  # every form posts to its own host; the console only links to schools
    }
    if frame_options in FRAME_ANCESTORS:
        directives["frame-ancestors"] = [FRAME_ANCESTORS[frame_options]]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    """Gives each request a nonce and each HTML response its policy. Outside the host routing, so the
    unknown-host and suspended-school pages have it too; outside XFrameOptionsMiddleware, whose header it
    repeats as ``frame-ancestors``. A response that already has a policy keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response
        choosers_carry_the_nonce()

    def __call__(self, request):
        nonce = RequestNonce()
        request.csp_nonce = nonce
        token = _current_nonce.set(nonce)
        try:
            response = self.get_response(request)
        finally:
            _current_nonce.reset(token)
        if response.get("Content-Type", "").startswith("text/html") and not response.has_header(HEADER):
            # Django's debug error pages (DEBUG only) have inline styles and scripts: reported, not refused.
            header = REPORT_ONLY if settings.DEBUG and response.status_code >= 400 else HEADER
            response[header] = content_security_policy(
                nonce=str(nonce) if nonce.used else None,
                editor=request.path.startswith(EDITOR_PREFIX),
                frame_options=response.get("X-Frame-Options", "").upper() or None,
            )
        return response


def csp(request):
    """Context processor: ``{{ csp_nonce }}`` (as Django 6.0 names it)."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}


register = template.Library()


@register.simple_tag
def csp_nonce() -> str:
    """``<script nonce="{% csp_nonce %}">`` in templates rendered without the request (form widgets)."""
    nonce = _current_nonce.get()
    return str(nonce) if nonce is not None else ""


def choosers_carry_the_nonce() -> None:
    """Wagtail's choosers (image, page, document, snippet, task) end with ``<script>new XChooser(…)</script>``
    written in ``BaseChooser.render``; this is that method with the nonce on the script. Wagtail's own
    ``render`` is kept for a widget without an id (it refuses it). tests/test_security_headers.py checks the
    two write the same HTML but for the nonce, so a Wagtail upgrade that changes it fails there."""
    from wagtail.admin.widgets.chooser import BaseChooser

    wagtail_render = BaseChooser.render
    if getattr(wagtail_render, "carries_csp_nonce", False):
        return

    def render(self, name, value, attrs=None, renderer=None):
        if not attrs or "id" not in attrs:
            return wagtail_render(self, name, value, attrs, renderer)
        value_data = self.get_value_data(value)
        widget_html = self.render_html(name, value_data, attrs)
        js = self.render_js_init(attrs["id"], name, value_data)
        return mark_safe(f'{widget_html}<script nonce="{csp_nonce()}">{js}</script>')  # noqa: S308 (Wagtail's)

    render.carries_csp_nonce = True  # type: ignore[attr-defined]
    render.wagtail_render = wagtail_render  # type: ignore[attr-defined]
    BaseChooser.render = render

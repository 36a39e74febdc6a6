"""The editor's sign-out, by POST only."""

from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.views.account import LogoutView

# Wagtail's LogoutView deletes the session cookie in its dispatch() around Django's LogoutView, which
# answers a GET with 405 but only after the cookie is already gone: a link or an <img> pointing at
# /admin/logout/ on any page signed an editor out. Refused here before Wagtail's view runs; the
# editor's own sign-out button sends a POST with its CSRF token. Mounted ahead of Wagtail's URL in
# regional_platform.urls_tenants (a register_admin_urls hook comes after Wagtail's own "logout/").
editor_sign_out_view = never_cache(require_POST(LogoutView.as_view()))

"""The second factor's screen in a school's editor (administrators and directors)."""

from django.urls import path
from wagtail import hooks

from accounts.two_factor import second_factor_view


@hooks.register("register_admin_urls")
def second_factor_urls():
    return [path("second-factor/", second_factor_view, name="accounts_second_factor")]

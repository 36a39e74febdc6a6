"""Views of a school's public site beyond its pages: search, robots.txt, the low-vision settings."""

from django import forms
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from school_sections.display import (
    IMAGES_COOKIE,
    LOW_VISION_COOKIE,
    display_settings,
    display_settings_chosen,
)
from school_sections.search.queries import site_search

SEARCH_QUERY_MAX_LENGTH = 200
NEXT_MAX_LENGTH = 2000


class SearchForm(forms.Form):
    # A CharField refuses NUL characters, which PostgreSQL cannot take, and says so.
    q = forms.CharField(required=False, max_length=SEARCH_QUERY_MAX_LENGTH)


@require_GET
def search_view(request):
    """The site's search; a query it cannot take (too long, a NUL character) answers 400 and says why."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        context = {"query": "", "search": None, "errors": form.errors["q"]}
        return render(request, "school_sections/search.html", context, status=400)
    query = form.cleaned_data["q"]
    search = site_search(query, page_number=request.GET.get("page"), language=get_language())
    context = {"query": search.query, "search": search, "extra_query": urlencode({"q": search.query})}
    return render(request, "school_sections/search.html", context)


def local_path(request, value: str, *, default: str = "/") -> str:
    """``value`` when it is a path on this host, else ``default``.

    Never another host (``//evil.example``, ``https://…``, ``/\\evil``), a scheme (``javascript:``), a
    URL name (``redirect()`` would try to reverse ``abc``), nor anything with a control character.
    """
    if (
        len(value) <= NEXT_MAX_LENGTH
        and value.startswith("/")
        and value.isprintable()
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /invite/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


_YEAR = 365 * 24 * 3600


@csrf_exempt  # it only sets a display preference; a visitor without a CSRF cookie must not get a 403
@require_POST
def low_vision_toggle(request):
    """The low-vision settings (clause 1.3): switched on (with the panel's choices), changed, or off.
    They stay until changed again."""
    response = HttpResponseRedirect(local_path(request, request.POST.get("next", "/")))
    if request.POST.get("low_vision") == "0":
        response.delete_cookie(LOW_VISION_COOKIE, samesite="Lax")
        response.delete_cookie(IMAGES_COOKIE, samesite="Lax")
        return response
    chosen = display_settings_chosen(request.POST, display_settings(request.COOKIES))
    response.set_cookie(LOW_VISION_COOKIE, chosen.cookie_value, max_age=_YEAR, samesite="Lax")
    response.set_cookie(IMAGES_COOKIE, "1" if chosen.images else "0", max_age=_YEAR, samesite="Lax")
    return response

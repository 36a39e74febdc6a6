"""Views of a school's public site beyond its pages: search, robots.txt, the low-vision switch."""

from django import forms
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from school_sections.selectors import site_search

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
        context = {"query": "", "results": [], "errors": form.errors["q"]}
        return render(request, "school_sections/search.html", context, status=400)
    query = form.cleaned_data["q"]
    return render(request, "school_sections/search.html", {"query": query, "results": site_search(query)})


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


LOW_VISION_COOKIE = "low_vision"
IMAGES_COOKIE = "low_vision_images"
_YEAR = 365 * 24 * 3600


@csrf_exempt  # it only sets a display preference; a visitor without a CSRF cookie must not get a 403
@require_POST
def low_vision_toggle(request):
    """Switch the low-vision mode (clause 1.3), or its images, on or off; it stays until switched again."""
    response = HttpResponseRedirect(local_path(request, request.POST.get("next", "/")))
    if "images" in request.POST:
        response.set_cookie(
            IMAGES_COOKIE, "0" if request.POST["images"] == "0" else "1", max_age=_YEAR, samesite="Lax"
        )
    elif request.POST.get("low_vision") == "1":
        response.set_cookie(LOW_VISION_COOKIE, "1", max_age=_YEAR, samesite="Lax")
    else:
        response.delete_cookie(LOW_VISION_COOKIE, samesite="Lax")
        response.delete_cookie(IMAGES_COOKIE, samesite="Lax")
    return response

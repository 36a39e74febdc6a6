"""Views of a school's public site beyond its pages: search, robots.txt, the low-vision switch."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from school_sections.selectors import site_search

SEARCH_QUERY_MAX_LENGTH = 200


@require_GET
def search_view(request):
    query = request.GET.get("q", "")[:SEARCH_QUERY_MAX_LENGTH]
    return render(request, "school_sections/search.html", {"query": query, "results": site_search(query)})


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
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    response = redirect(next_url)
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

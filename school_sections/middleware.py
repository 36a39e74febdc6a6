"""``?lang=ru`` on any page of a school site: show it in that language and remember the choice.

Gives every page one address per language, which ``hreflang`` links and search
engines need, without a language prefix in every page path.
"""

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}


class LanguageParameterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.GET.get("lang", "")
        if language not in LANGUAGE_CODES:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 24 * 3600)
        return response

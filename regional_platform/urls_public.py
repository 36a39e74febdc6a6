"""URLs of the regional platform at PLATFORM_DOMAIN (public schema)."""

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("console.urls")),
]

"""Route each request to the schema of the school whose host it names."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.postgresql_backend.base import FakeTenant
from django_tenants.utils import get_public_schema_name

TENANT_CACHE_SECONDS = 300


def tenant_cache_key(hostname: str) -> str:
    return f"tenant-for-host:{hostname}"


class SchoolTenantMiddleware(TenantMainMiddleware):
    """django-tenants' host routing, plus the platform's own host, unknown hosts and suspended schools.

    ``PLATFORM_DOMAIN`` is the regional platform (public schema) and needs no
    database row; an unknown host gets a friendly 404 page; a suspended
    school's host a 503 page that says the site is suspended.
    """

    @staticmethod
    def hostname_from_request(request):
        """The host without port, lowercased and without a trailing dot (DNS names ignore both)."""
        return TenantMainMiddleware.hostname_from_request(request).lower().rstrip(".")

    def get_tenant(self, domain_model, hostname):
        if hostname == settings.PLATFORM_DOMAIN:
            return FakeTenant(schema_name=get_public_schema_name())
        # Every request asks; the answer changes only when a school or its domains
        # change, and tenants.signals forgets it then.
        key = tenant_cache_key(hostname)
        tenant = cache.get(key)
        if tenant is None:
            tenant = super().get_tenant(domain_model, hostname)  # DoesNotExist: unknown host, not cached
            cache.set(key, tenant, TENANT_CACHE_SECONDS)
        return tenant

    def no_tenant_found(self, request, hostname):
        return _render_in_visitor_language(request, "errors/unknown_host.html", {"hostname": hostname}, 404)

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = request.tenant
        if getattr(tenant, "is_suspended", False):
            return _render_in_visitor_language(request, "errors/school_suspended.html", {"school": tenant}, 503)
        return None


def _render_in_visitor_language(request, template, context, status):
    # This runs before LocaleMiddleware and the ?lang= parameter's middleware, so choose the language here,
    # the parameter first as on every other page.
    language = request.GET.get("lang", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = translation.get_language_from_request(request)
    with translation.override(language):
        context = {**context, "platform_domain": settings.PLATFORM_DOMAIN, "LANGUAGE_CODE": language}
        response = render(request, template, context, status=status)
    if status == 503:
        response["Retry-After"] = "86400"
    return response

"""Host names and absolute links for the platform and its schools."""

from django.conf import settings


def school_hostname(subdomain: str) -> str:
    """The platform host of a school: ``<subdomain>.<PLATFORM_DOMAIN>``."""
    return f"{subdomain}.{settings.PLATFORM_DOMAIN}"


def schema_name_for(subdomain: str) -> str:
    """The PostgreSQL schema of a school; hyphens are not allowed in unquoted names."""
    return "school_" + subdomain.replace("-", "_")


def platform_port() -> int:
    """The port every host of the platform is reached on from outside (``PLATFORM_PORT``).

    The one source of every link made outside a request: ``absolute_url`` (e-mails, printed sign-in details,
    the console's links to a school's site and editor) and the port of each school's Wagtail ``Site``
    (``provisioning.services.school_site_port_align``), from which Wagtail makes page URLs and sitemaps.
    ``make demo`` sets it from ``DEMO_ADDRESS`` (regional_platform.launcher), so a demo served on
    another port links to that port.
    """
    return settings.PLATFORM_PORT


def absolute_url(hostname: str, path: str = "/") -> str:
    """A link that works outside a request (e-mails, printed invitations)."""
    scheme, port = settings.PLATFORM_SCHEME, platform_port()
    default_port = {"http": 80, "https": 443}.get(scheme)
    netloc = hostname if port == default_port else f"{hostname}:{port}"
    return f"{scheme}://{netloc}{path}"


def admin_base_url() -> str:
    """The editor's base URL for the school whose schema is active: its own host, not a global one.

    Wagtail builds the links in its notification e-mails from WAGTAILADMIN_BASE_URL,
    which is one setting for all schools; the settings make it a lazy value that
    asks this function each time (design.md: e-mails must link to the school's host).
    """
    return absolute_url(active_school_hostname(), "")


def active_school_hostname() -> str:
    """The host of the school whose schema is active (the request's, else its primary domain)."""
    from django.db import connection

    from tenants.models import Domain

    tenant = getattr(connection, "tenant", None)
    hostname = getattr(tenant, "domain_url", None)  # the request's host, set by the middleware
    if not hostname and tenant is not None and connection.schema_name != "public":
        hostname = (
            Domain.objects.filter(tenant__schema_name=connection.schema_name, is_primary=True)
            .values_list("domain", flat=True)
            .first()
        )
    return hostname or settings.PLATFORM_DOMAIN

"""Host names and absolute links for the platform and its schools."""

from django.conf import settings


def school_hostname(subdomain: str) -> str:
    """The platform host of a school: ``<subdomain>.<PLATFORM_DOMAIN>``."""
    return f"{subdomain}.{settings.PLATFORM_DOMAIN}"


def schema_name_for(subdomain: str) -> str:
    """The PostgreSQL schema of a school; hyphens are not allowed in unquoted names."""
    return "school_" + subdomain.replace("-", "_")


def absolute_url(hostname: str, path: str = "/") -> str:
    """A link that works outside a request (e-mails, printed invitations)."""
    scheme, port = settings.PLATFORM_SCHEME, settings.PLATFORM_PORT
    default_port = {"http": 80, "https": 443}.get(scheme)
    netloc = hostname if port == default_port else f"{hostname}:{port}"
    return f"{scheme}://{netloc}{path}"

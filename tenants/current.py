"""The school whose schema is active: one way to ask, in a request, a task or a command alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django_tenants.utils import get_public_schema_name

if TYPE_CHECKING:
    from tenants.models import School


def current_school() -> School | None:
    """The school whose schema is active, or None in the public schema.

    The host middleware and tenant-schemas-celery put the school on the connection
    (``connection.tenant``); ``schema_context`` sets only the schema's name, and then
    the school is read by that name (one query).
    """
    from tenants.models import School

    schema_name = connection.schema_name  # type: ignore[attr-defined]  # django-tenants' backend adds it
    if schema_name == get_public_schema_name():
        return None
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, School) and tenant.schema_name == schema_name:
        return tenant
    return School.objects.get(schema_name=schema_name)

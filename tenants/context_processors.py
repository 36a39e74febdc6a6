"""Template context for every page: the school whose host answered (None on the platform's own host)."""

from tenants.models import School


def school(request):
    tenant = getattr(request, "tenant", None)
    return {"school": tenant if isinstance(tenant, School) else None}

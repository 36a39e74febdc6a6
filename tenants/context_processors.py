"""Template context for every page: the school whose host answered (None on the platform's own host),
and the regional office's announcements for it."""

from django.utils.translation import get_language

from tenants.models import School
from tenants.selectors import active_announcements


def school(request):
    tenant = getattr(request, "tenant", None)
    if not isinstance(tenant, School):
        return {"school": None, "announcements": []}
    language = (get_language() or "kk")[:2]
    texts = [announcement.text(language) for announcement in active_announcements(district=tenant.district)]
    return {"school": tenant, "announcements": texts}

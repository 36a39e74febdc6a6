"""Reads about the region's schools, all from the public schema."""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from tenants.models import Domain, School


def school_list(*, search: str = "") -> QuerySet[School]:
    """Schools with their primary host, newest first; ``search`` matches names, short name or BIN."""
    primary_host = Domain.objects.filter(tenant=OuterRef("pk"), is_primary=True).values("domain")[:1]
    schools = School.objects.annotate(primary_host=Subquery(primary_host)).order_by("-created_at", "pk")
    search = search.strip()
    if search:
        schools = schools.filter(
            Q(name_kk__icontains=search)
            | Q(name_ru__icontains=search)
            | Q(name_en__icontains=search)
            | Q(short_name__icontains=search)
            | Q(bin__startswith=search)
        )
    return schools

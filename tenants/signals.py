"""Forget the cached host-to-school answers (tenants.middleware) when a school or a domain changes."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.middleware import tenant_cache_key
from tenants.models import Domain, School


def _forget(hostnames) -> None:
    # Cache keys carry the schema: the middleware looks hosts up from the public schema.
    with schema_context(get_public_schema_name()):
        cache.delete_many([tenant_cache_key(hostname) for hostname in hostnames])


@receiver([post_save, post_delete], sender=School)
def school_changed(sender, instance, **kwargs):
    _forget(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))


@receiver([post_save, post_delete], sender=Domain)
def domain_changed(sender, instance, **kwargs):
    _forget([instance.domain])

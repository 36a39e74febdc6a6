"""Forget the cached host-to-school answers (tenants.middleware) when a school or a domain changes.

Forgotten at once and again when the transaction commits: a request between the
two could otherwise cache the row as it was for the cache's lifetime.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.middleware import tenant_cache_key
from tenants.models import Domain, School


def _forget_now(hostnames: list[str]) -> None:
    # Cache keys carry the schema: the middleware looks hosts up from the public schema.
    with schema_context(get_public_schema_name()):
        cache.delete_many([tenant_cache_key(hostname) for hostname in hostnames])


def _forget(hostnames) -> None:
    hostnames = list(hostnames)
    _forget_now(hostnames)
    transaction.on_commit(lambda: _forget_now(hostnames))


@receiver([post_save, post_delete], sender=School)
def school_changed(sender, instance, **kwargs):
    _forget(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))


@receiver(pre_save, sender=Domain)
def domain_renamed(sender, instance, **kwargs):
    if instance.pk:  # the old name must stop answering too
        _forget(Domain.objects.filter(pk=instance.pk).exclude(domain=instance.domain).values_list("domain", flat=True))


@receiver([post_save, post_delete], sender=Domain)
def domain_changed(sender, instance, **kwargs):
    _forget([instance.domain])

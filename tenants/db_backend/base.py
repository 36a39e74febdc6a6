"""django-tenants' PostgreSQL backend, with Django's content-type cache kept per schema.

django-tenants empties the whole content-type cache on every switch of school,
because content-type ids differ between schemas; every page request then paid
two queries to fetch them again. Here the cache is keyed by schema as well as by
database, so a switch loses nothing and a school never sees another schema's ids.
"""

import threading

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

_switching = threading.local()


class SchemaKeyedContentTypeCache(dict):
    """ContentTypeManager's ``_cache``: ``cache[db]`` is the cache of ``db``'s current schema."""

    @staticmethod
    def _key(db):
        return (db, getattr(connections[db], "schema_name", None))

    def __getitem__(self, db):
        return super().__getitem__(self._key(db))

    def setdefault(self, db, default=None):
        return super().setdefault(self._key(db), default)

    def clear(self):
        if getattr(_switching, "active", False):
            return  # a school switch: the other schemas' entries stay valid under their own keys
        super().clear()

    def forget_schema(self, schema_name: str) -> None:
        """Drop a schema's entries: it was (re)created, and its ids may have changed."""
        for key in [key for key in self if isinstance(key, tuple) and key[1] == schema_name]:
            self.pop(key, None)


def content_type_cache() -> SchemaKeyedContentTypeCache:
    """The manager's cache, installed again if Django made a fresh manager (app registry reset)."""
    manager = ContentType.objects
    if not isinstance(manager._cache, SchemaKeyedContentTypeCache):
        manager._cache = SchemaKeyedContentTypeCache()
    return manager._cache


class DatabaseWrapper(TenantDatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        content_type_cache()
        _switching.active = True
        try:
            super().set_tenant(tenant, include_public)
        finally:
            _switching.active = False


content_type_cache()

"""django-tenants' PostgreSQL backend, with Django's content-type cache kept per schema, and connections
recycled once they have visited too many schemas.

django-tenants empties the whole content-type cache on every switch of school,
because content-type ids differ between schemas; every page request then paid
two queries to fetch them again. Here the cache is keyed by schema as well as by
database, so a switch loses nothing and a school never sees another schema's ids.

A PostgreSQL backend keeps the catalog entries of every table it has touched: one that ran a page's
queries in every school of a region held hundreds of MB (issue 14). A connection counts the schemas it
has set its search path to, and once there are more than ``MAX_SCHEMAS_PER_CONNECTION`` it is closed at
the next safe point: the end of a request (Django calls ``close_if_unusable_or_obsolete`` there) or
between schools of a batch task (``close_if_schemas_spent``). The next query opens a fresh one.
"""

import threading

from django.conf import settings
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
    def __init__(self, *args, **kwargs):
        self.schemas_visited: set[str] = set()  # since this connection was opened
        super().__init__(*args, **kwargs)

    def connect(self):
        self.schemas_visited = set()
        super().connect()

    def _handle_search_path(self, cursor=None):
        super()._handle_search_path(cursor)
        if self.search_path_set_schemas:  # the SET went through: this backend now reads that schema
            self.schemas_visited.add(self.schema_name)

    def schemas_spent(self) -> bool:
        """Whether this connection has visited more schemas than one should before it is recycled."""
        return len(self.schemas_visited) > settings.MAX_SCHEMAS_PER_CONNECTION

    def close_if_schemas_spent(self) -> bool:
        """Close the connection if it has visited too many schemas and no transaction is open; whether it did."""
        if self.connection is None or self.in_atomic_block or not self.schemas_spent():
            return False
        self.close()
        return True

    def close_if_unusable_or_obsolete(self):
        super().close_if_unusable_or_obsolete()
        self.close_if_schemas_spent()

    def set_tenant(self, tenant, include_public=True):
        content_type_cache()
        _switching.active = True
        try:
            super().set_tenant(tenant, include_public)
        finally:
            _switching.active = False


content_type_cache()

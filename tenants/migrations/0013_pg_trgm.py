"""pg_trgm in the public schema, where every school's search (on its search path) finds it: the search
matches misspelt words by trigram similarity (school_sections.search.queries)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0012_fleet_migration_failure"),
    ]

    operations = [TrigramExtension()]

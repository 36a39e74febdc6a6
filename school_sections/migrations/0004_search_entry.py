"""The visitors' search index. Schools that already have pages are indexed by their next daily scan
(compliance.services.school_scan: an empty index is rebuilt) or at once by ``search_reindex``: never
by Python in the deploy path (docs/migrations.md)."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("school_sections", "0003_translation_state"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="wagtailcore.page",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("section", "Section"), ("news", "News"), ("event", "Event")], max_length=10
                    ),
                ),
                ("section_code", models.CharField(max_length=20)),
                ("date", models.DateField(null=True)),
                ("title_kk", models.TextField(blank=True)),
                ("title_ru", models.TextField(blank=True)),
                ("title_en", models.TextField(blank=True)),
                ("text_kk", models.TextField(blank=True)),
                ("text_ru", models.TextField(blank=True)),
                ("text_en", models.TextField(blank=True)),
                ("text_any", models.TextField(blank=True)),
                ("vector_kk", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("vector_ru", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("vector_en", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
        ),
    ]

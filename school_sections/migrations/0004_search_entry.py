import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def _index_published_pages(apps, schema_editor):
    # The index is built from the pages as the code reads them now (their search fields and blocks), so
    # this uses the real models, not the historical ones: it runs when this migration is applied to a
    # school that has pages, and does nothing in a new schema.
    from school_sections.search.indexing import site_reindex

    if apps.get_model("wagtailcore", "Page").objects.filter(depth__gt=2, live=True).exists():
        site_reindex()


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
        migrations.RunPython(_index_published_pages, migrations.RunPython.noop),
    ]

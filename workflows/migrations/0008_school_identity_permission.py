"""The school's identity (issue 16: names, emblem, colour, footer details) is set by its site administrator
and its director, under Settings in the editor."""

from django.db import migrations

ROLES = ("Director", "Site administrator")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="school_sections", model="schoolidentity")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="change_schoolidentity", defaults={"name": "Can change school identity"}
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0007_section_freshness"),
        ("school_sections", "0005_school_identity"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

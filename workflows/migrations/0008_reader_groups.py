"""Clause 5.2: the three reader groups (regulation.roles.ReaderGroup) in every school's schema.

They hold no permission at all (no editor access): a page or a collection restricted to one of them opens
to its members. Plain SQL, so the fleet upgrade replays it into every school (docs/migrations.md);
accounts.readers.reader_groups() creates a group found missing, for a schema changed by hand.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflows", "0007_section_freshness")]

    operations = [
        migrations.RunSQL(
            "INSERT INTO auth_group (name) VALUES ('Readers: teaching staff'), ('Readers: parents'), "
            "('Readers: pupils') ON CONFLICT (name) DO NOTHING",
            migrations.RunSQL.noop,
        )
    ]

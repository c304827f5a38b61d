"""Indexes found by the page benchmark at 100,000 opportunities (issues [5] and [9]):

- the protection extensions BD decides (to-do and landing card: a few rows among all);
- trigram indexes on the project name and the external reference, next to the customer
  name's (0006): the global search matches each word in any of the three columns, and with
  only the customer name indexed PostgreSQL walked the partner's whole list to filter it
  (48 ms at 100,000 opportunities, 0.5 ms with the three). PostgreSQL only."""

from django.db import migrations, models

TRIGRAM = {
    "opportunity_project_trgm": "project_name",
    "opportunity_ref_trgm": "external_ref",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "opportunities_opportunity" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0014_drop_idempotency_keys")]

    operations = [
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(("extension_requested_at__isnull", False)),
                fields=["protected_until", "id"],
                name="opportunity_extension_asked",
            ),
        ),
        migrations.RunPython(create, drop),
    ]

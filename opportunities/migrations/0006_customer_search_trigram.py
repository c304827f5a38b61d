"""Trigram indexes for the customer search of the opportunity lists and the HO pool
(`customer_name__icontains` is `UPPER(customer_name) LIKE UPPER('%…%')` on PostgreSQL).
PostgreSQL only: on SQLite (the demo) this migration does nothing."""

from django.db import migrations

INDEXES = {
    "opportunity_customer_trgm": "opportunities_opportunity",
    "lead_customer_trgm": "opportunities_vendorlead",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            'USING gin (UPPER("customer_name"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0005_list_indexes")]

    operations = [migrations.RunPython(create, drop)]

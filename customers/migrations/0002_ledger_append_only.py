"""On PostgreSQL, the database itself refuses to change or delete a ledger entry."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION customers_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'customers_ledgerentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER customers_ledger_append_only
    BEFORE UPDATE OR DELETE ON customers_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION customers_ledger_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS customers_ledger_append_only ON customers_ledgerentry;
DROP FUNCTION IF EXISTS customers_ledger_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

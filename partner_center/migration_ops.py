"""Migration operations written once for every app that needs them, PostgreSQL only (the
SQLite demo migrates without them):

- `trigram_indexes`: GIN trigram indexes for "contains" searches (`icontains` is
  `UPPER(col) LIKE UPPER('%…%')`); a search word of three characters or more then reads the
  index instead of every row.
- `append_only`: a trigger that makes the database itself refuse UPDATE and DELETE on a
  table (the customers ledger, the audit events), whatever code runs."""

from __future__ import annotations

from django.db import migrations


def _postgresql_only(forwards: list[str], backwards: list[str]) -> migrations.RunPython:
    def run(statements: list[str]):
        def execute(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            for statement in statements:
                schema_editor.execute(statement, params=None)

        return execute

    return migrations.RunPython(run(forwards), run(backwards))


def trigram_indexes(table: str, indexes: dict[str, str]) -> migrations.RunPython:
    """One GIN trigram index on `UPPER(column)` per `{index name: column}` of `table`
    (dropped when migrating backwards)."""
    return _postgresql_only(
        ["CREATE EXTENSION IF NOT EXISTS pg_trgm"]
        + [
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            for name, column in indexes.items()
        ],
        [f'DROP INDEX IF EXISTS "{name}"' for name in indexes],
    )


def append_only(table: str, name: str) -> migrations.RunPython:
    """A trigger `name` (and its function) refusing every UPDATE and DELETE on `table`; the
    error says "<table> is append-only (UPDATE refused)"."""
    return _postgresql_only(
        [
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}();"""
        ],
        [f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"],
    )

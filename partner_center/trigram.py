"""Trigram indexes for "contains" searches (`icontains`: `UPPER(col) LIKE UPPER('%…%')`),
made by migrations on PostgreSQL only (the SQLite demo reads its few rows). A search word
of three characters or more then reads the index instead of every row."""

from __future__ import annotations

from django.db import migrations


def trigram_indexes(table: str, indexes: dict[str, str]) -> migrations.RunPython:
    """A migration operation creating (and, backwards, dropping) one GIN trigram index on
    `UPPER(column)` per `{index name: column}` of `table`."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in indexes.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop)

"""PostgreSQL: keep each document's search vector in its row, compressed.

A vector (about 3 kB compressed at today's pages) was stored out of line,
in the TOAST table, and ranking reads it several times per match (the
coverage's weight filters, then ts_rank): each read fetched it from there
again. Kept in the row (STORAGE MAIN), a read only decompresses it. At 100
times today's content, ranking a common word went from 64 to 26 ms.
Existing vectors are rewritten so that they move; SQLite has no vector
column in use (its FTS5 table is the index) and is left alone.
"""

from django.db import migrations

TABLE, COLUMN = "advice_searchdocument", "search_vector"


def _set_storage(storage):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE {storage}")
        # A new storage applies to values written from now on: write them again.
        schema_editor.execute(
            f"UPDATE {TABLE} SET {COLUMN} = {COLUMN} || ''::tsvector WHERE {COLUMN} IS NOT NULL"
        )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0015_sitemap_indexes"),
    ]

    operations = [
        migrations.RunPython(_set_storage("MAIN"), _set_storage("EXTENDED"), elidable=False),
    ]

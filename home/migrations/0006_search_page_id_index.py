"""On PostgreSQL, an index on the page id as text: what Wagtail's database search backend joins its index's
``object_id`` on, so that a search finding a few pages reads them by index instead of every page (25 ms down to 7 ms
with 55,000 pages)."""

from django.db import migrations

INDEX = "home_page_id_text"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (((id::varchar(50))::text))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_search_title_body_index"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]

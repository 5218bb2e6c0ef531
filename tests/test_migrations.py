"""The migrations build the database the models describe.

The suite's test databases are made from the models (``--no-migrations`` in pyproject.toml, which saves each test
process most of a minute). This test runs every migration on an empty database of the engine the suite runs on
(SQLite, or a new PostgreSQL database beside the test database), as ``make run`` and a deployment do, and checks that
the result needs no new migration.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SHOW_TABLES = "from django.db import connection; print(*connection.introspection.table_names())"


def manage(*args: str, database_url: str, var_dir: Path) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "apothecary.settings.test",
        "APOTHECARY_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def empty_database(tmp_path):
    """The URL of an empty database on the suite's engine; a PostgreSQL one is dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"apothecary_migrations_{uuid.uuid4().hex[:12]}"
    server = psycopg.conninfo.make_conninfo(
        host=settings["HOST"] or "",
        port=str(settings["PORT"] or ""),
        user=settings["USER"] or "",
        password=settings["PASSWORD"] or "",
        dbname="postgres",
    )
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        yield f"postgres://{auth}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_migration_applies_to_an_empty_database_and_nothing_is_missing(empty_database, tmp_path):
    migrated = manage("migrate", "--noinput", database_url=empty_database, var_dir=tmp_path)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "Applying wagtailsearch.0006_customise_indexentry... OK" in migrated.stdout

    tables = manage("shell", "-c", SHOW_TABLES, database_url=empty_database, var_dir=tmp_path)
    assert tables.returncode == 0, tables.stderr
    expected = {"orders_order", "medicines_medicinepage", "wagtailsearch_indexentry"}
    if connection.vendor == "sqlite":
        expected.add("wagtailsearch_indexentry_fts")  # the full-text table Wagtail's migration makes on SQLite
    assert expected <= set(tables.stdout.split())

    check = manage("makemigrations", "--check", "--dry-run", database_url=empty_database, var_dir=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr

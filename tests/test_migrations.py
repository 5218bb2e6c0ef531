"""The migrations build the database the models describe.

The suite's test databases are made from the models (``--no-migrations`` in pyproject.toml, which saves each test
process a minute); CI's PostgreSQL pass runs with ``--migrations``. This test runs every migration on an empty
SQLite database, as ``make run`` does, and checks that the result needs no new migration.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, var_dir: Path) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "apothecary.settings.test",
        "APOTHECARY_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'migrated.sqlite3'}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )


def test_every_migration_applies_to_an_empty_database_and_nothing_is_missing(tmp_path):
    migrated = manage("migrate", "--noinput", var_dir=tmp_path)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "Applying wagtailsearch.0006_customise_indexentry... OK" in migrated.stdout

    tables = manage("shell", "-c", SHOW_TABLES, var_dir=tmp_path)
    assert tables.returncode == 0, tables.stderr
    names = set(tables.stdout.split())
    assert {"wagtailsearch_indexentry_fts", "orders_order", "medicines_medicinepage"} <= names

    check = manage("makemigrations", "--check", "--dry-run", var_dir=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


SHOW_TABLES = "from django.db import connection; print(*connection.introspection.table_names())"

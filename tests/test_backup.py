"""Backup and restore: the database and both file stores, into an empty database and empty stores, on SQLite and on
PostgreSQL. Every table's row count is equal afterwards, and every prescription file opens in the pharmacist's view
of the restored site. A damaged or partial backup is refused, naming what is wrong, and nothing is restored."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection

from home.backup import BackupError, check
from home.demo.orders import demo_prescription_pdf
from orders import services
from prescriptions import services as prescription_services
from tests.factories import (
    make_medicine,
    make_order,
    make_pharmacist,
    make_prescription_upload,
    make_product,
    make_user,
)

BASE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture
def filled_site(transactional_db, tmp_path, settings, monkeypatch):
    """A site with guides, an order, two uploaded prescriptions and a public document, all committed; its file
    stores are folders of this test's own."""
    from home.services import build_site
    from tests.factories import make_drug_class

    settings.MEDIA_ROOT = str(tmp_path / "site" / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "prescriptions": {
            **settings.STORAGES["prescriptions"],
            "OPTIONS": {"location": str(tmp_path / "site" / "private")},
        },
    }
    from prescriptions.models import Prescription

    # The file field took its storage when the model loaded: point it at the test's own store too.
    monkeypatch.setattr(Prescription._meta.get_field("file"), "storage", storages["prescriptions"])
    pages = build_site()
    guide = make_medicine(pages["medicines"], make_drug_class(pages["classes"]), "Baclofen")
    pack = make_product(guide, packs=((30, "15.30", 10),)).packs.get()
    make_pharmacist("pharmacist@example.com")
    patient = make_user("robin@example.com")
    order = make_order([(pack, 1)], customer=patient, email=patient.email)
    first = prescription_services.submit_prescription(
        patient, upload=make_prescription_upload("scan.pdf", demo_prescription_pdf())
    )
    services.attach_prescription(order, first)
    prescription_services.submit_prescription(
        patient, upload=make_prescription_upload("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x01" * 64)
    )
    storages["default"].save("documents/leaflet.txt", ContentFile(b"A public leaflet."))
    return tmp_path


def run_in_new_site(var_dir: Path, database_url: str, *args: str, code: str = "") -> subprocess.CompletedProcess:
    """Run manage.py (or Python ``code``) against another site: its own database and its own, empty, file stores."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="apothecary.settings.test", APOTHECARY_VAR_DIR=str(var_dir), DATABASE_URL=database_url
    )
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300)


VERIFY = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.test import Client
    from accounts.models import User
    from home.backup import table_counts
    from prescriptions.models import Prescription

    manifest = json.load(open(sys.argv[1]))
    counts = table_counts()
    differ = {table: (n, counts.get(table)) for table, n in manifest["tables"].items() if counts.get(table) != n}
    assert counts == manifest["tables"], differ
    client = Client()
    client.force_login(User.objects.get(email="pharmacist@example.com"))
    opened = 0
    for prescription in Prescription.objects.exclude(file=""):
        response = client.get(f"/prescriptions/{prescription.pk}/file/")
        assert response.status_code == 200, (prescription.pk, response.status_code)
        assert b"".join(response.streaming_content)[:4] in (b"%PDF", b"\\x89PNG")
        opened += 1
    print(f"{len(counts)} tables equal; {opened} prescription files opened")
    """
)


def back_up_and_restore(tmp_path: Path, database_url: str) -> str:
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert sum(1 for name in manifest["files"] if name.startswith("media/prescriptions/")) == 2
    assert "media/default/documents/leaflet.txt" in manifest["files"]

    new_site = tmp_path / "new-site"
    restored = run_in_new_site(new_site, database_url, "restore", str(backup))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "every table's row count matches the backup's" in restored.stdout
    verified = run_in_new_site(
        new_site, database_url, code=VERIFY.replace("sys.argv[1]", repr(str(backup / "manifest.json")))
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "2 prescription files opened" in verified.stdout
    return verified.stdout


def test_sqlite_backup_restores_into_an_empty_site(filled_site):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL run backs up PostgreSQL (test_postgresql_backup_…); this one needs SQLite")
    tmp_path = filled_site
    print(back_up_and_restore(tmp_path, f"sqlite:///{tmp_path / 'restored.sqlite3'}"))


@pytest.mark.postgres
def test_postgresql_backup_restores_into_an_empty_database(filled_site):
    import psycopg

    tmp_path = filled_site
    params = connection.settings_dict
    target = f"restore_{uuid.uuid4().hex[:10]}"
    server = f"postgresql://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/postgres"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        print(back_up_and_restore(tmp_path, urlsplit(server)._replace(path=f"/{target}").geturl()))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def test_a_damaged_or_partial_backup_is_refused_and_nothing_is_restored(filled_site):
    tmp_path = filled_site
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    check(backup)  # whole
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700  # it holds password hashes and prescriptions
    assert {stat.S_IMODE(path.stat().st_mode) for path in backup.rglob("*") if path.is_file()} == {0o600}

    scan = next(path for path in (backup / "media" / "prescriptions").rglob("*") if path.is_file())
    original = scan.read_bytes()
    scan.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    with pytest.raises(BackupError, match="does not match its checksum: the backup is damaged"):
        check(backup)
    scan.unlink()
    with pytest.raises(BackupError, match="is missing: the backup is partial"):
        check(backup)
    (backup / "manifest.json").unlink()
    with pytest.raises(BackupError, match="has no manifest.json"):
        check(backup)

    new_site = tmp_path / "refused-site"
    refused = run_in_new_site(new_site, f"sqlite:///{tmp_path / 'never.sqlite3'}", "restore", str(backup))
    assert refused.returncode != 0 and "Restore refused" in refused.stderr
    assert not (tmp_path / "never.sqlite3").exists() or (tmp_path / "never.sqlite3").stat().st_size == 0

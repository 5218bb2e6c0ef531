"""Backup and restore of the whole site: the database and both file stores (public media, private prescriptions).

A backup is a folder::

    manifest.json      what the backup holds: when, the database engine, every table's row count, and every file
                       with its size and SHA-256 (written last: a backup without it never finished)
    database.sqlite3   SQLite: a consistent copy made with SQLite's online backup
    database.pgdump    PostgreSQL: ``pg_dump --format=custom``
    media/default/...  the public media store (images, documents)
    media/prescriptions/...  the private store (prescription files), copied with the files' own names

The file stores are read and written through Django's storage API, so the same commands work for local folders
and for S3-compatible storage. Restoring checks the whole backup first (every file present, every checksum right,
the engine the same) and refuses a damaged or partial one, naming what is wrong; it writes only into an empty
database and empty stores unless told to replace what is there.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT = 1
STORES = ("default", "prescriptions")  # the public media, and the private prescription files
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """The backup or restore was refused or failed; the message says what and where."""


class VerificationFailed(BackupError):
    """The restore wrote the database and files, but the check afterwards found a difference."""


@dataclass
class Summary:
    tables: int
    rows: int
    files: int
    bytes: int


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL; this database is {vendor}.")
    return vendor


def table_counts(cursor=None) -> dict[str, int]:
    """Every table of the database (or of the SQLite file ``cursor`` reads) and its number of rows."""
    if cursor is None:
        with connection.cursor() as cursor:
            return table_counts(cursor)
    if isinstance(cursor, sqlite3.Cursor):
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'")
        tables = sorted(row[0] for row in cursor.fetchall())
    else:
        tables = sorted(name for name in connection.introspection.table_names(cursor) if name != "sqlite_sequence")
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _store_files(alias: str, folder: str = "") -> Iterator[str]:
    """Every file name in storage ``alias`` below ``folder``, through the storage API."""
    storage = storages[alias]
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _store_files(alias, f"{folder}/{sub}" if folder else sub)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_args() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore from Django's database settings (password in the environment)."""
    params = connection.settings_dict
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed: install PostgreSQL's client tools (apt-get install postgresql-client)."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.stdout.strip()}")


def _pg_dump_with_counts(database: Path) -> dict[str, int]:
    """``pg_dump`` of the database as of one moment, and the row counts of that same moment (one exported
    snapshot, in a read-only repeatable-read transaction), so that the manifest describes the dump exactly."""
    from django.db import transaction

    args, env = _pg_args()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", *args]
        _run([*command, "--file", str(database), connection.settings_dict["NAME"]], env)
        return table_counts(cursor)


def backup(folder: Path, say: Callable[[str], None] = print) -> Summary:
    """Write a backup of the database and both file stores into ``folder`` (new, or empty), readable by this
    account alone (folders 0700, files 0600): it holds password hashes and prescriptions."""
    previous = os.umask(0o077)
    try:
        return _backup(Path(folder), say)
    finally:
        os.umask(previous)


def _backup(folder: Path, say: Callable[[str], None]) -> Summary:
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder.")
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    engine = _engine()
    database = folder / DATABASE_FILES[engine]
    say(f"Database ({engine}) → {database.name}")
    if engine == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(database)
        with target:
            connection.connection.backup(target)
        counts = table_counts(target.cursor())  # the copy's own counts
        target.close()
    else:
        counts = _pg_dump_with_counts(database)
    say(f"  {len(counts)} tables, {sum(counts.values())} rows")
    files = {database.name: {"size": database.stat().st_size, "sha256": _sha256(database)}}
    for alias in STORES:
        storage, copied = storages[alias], 0
        for name in _store_files(alias):
            target = folder / "media" / alias / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            os.chmod(target, 0o600)
            files[f"media/{alias}/{name}"] = {"size": target.stat().st_size, "sha256": _sha256(target)}
            copied += 1
        say(f"Files of the {alias!r} store: {copied}")
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "tables": counts,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    total = sum(entry["size"] for entry in files.values())
    return Summary(len(counts), sum(counts.values()), len(files) - 1, total)


def check(folder: Path) -> dict:
    """The manifest of a complete, undamaged backup; ``BackupError`` naming the first problem otherwise."""
    folder = Path(folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a backup, or the backup did not finish.")
    try:
        manifest = json.loads(manifest_path.read_text())
        files, engine = manifest["files"], manifest["engine"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{MANIFEST} cannot be read ({exc}): the backup is damaged.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup's format is {manifest.get('format')!r}; this version reads {FORMAT}.")
    if DATABASE_FILES.get(engine) not in files:
        raise BackupError("The backup's manifest lists no database file: the backup is damaged.")
    for name, expected in sorted(files.items()):
        parts = Path(name).parts
        in_a_store = len(parts) >= 3 and parts[0] == "media" and parts[1] in STORES
        if Path(name).is_absolute() or ".." in parts or not (in_a_store or name == DATABASE_FILES[engine]):
            raise BackupError(f"{MANIFEST} names “{name}”, which is no part of a backup: the backup is damaged.")
        path = folder / name
        if path.is_symlink():
            raise BackupError(f"{name} is a symbolic link: a backup holds files only. Nothing was restored.")
        if not path.is_file():
            raise BackupError(f"{name} is missing: the backup is partial. Nothing was restored.")
        if path.stat().st_size != expected["size"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged. Nothing was restored.")
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(folder: Path, *, replace: bool = False, say: Callable[[str], None] = print) -> Summary:
    """Restore a backup made by ``backup`` into this site's database and file stores.

    The backup is checked whole first. Refused unless the database has no tables and the stores no files (a new
    installation), or ``replace`` is given (the database and the stores' files are then replaced).
    """
    folder = Path(folder)
    manifest = check(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"This backup is of a {manifest['engine']} database; this site uses {engine}.")
    if not replace:
        if not _database_is_empty():
            raise BackupError("The database is not empty: restore into a new database, or give --replace.")
        for alias in STORES:
            if next(_store_files(alias), None) is not None:
                raise BackupError(
                    f"The {alias!r} file store is not empty: restore into an empty one, or give --replace."
                )
    say("Backup checked: every file present and matching its checksum.")
    database = folder / DATABASE_FILES[engine]
    if engine == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        source = sqlite3.connect(database)
        target = sqlite3.connect(path)
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        args, env = _pg_args()
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args]
        if replace:
            command += ["--clean", "--if-exists"]
        _run([*command, "--dbname", connection.settings_dict["NAME"], str(database)], env)
        connection.close()
    say(f"Database restored from {database.name}")
    files = 0
    for name in sorted(manifest["files"]):
        if not name.startswith("media/"):
            continue
        _, alias, stored_name = name.split("/", 2)
        storage = storages[alias]
        if replace and storage.exists(stored_name):
            storage.delete(stored_name)
        with (folder / name).open("rb") as source:
            saved = storage.save(stored_name, File(source))
        if saved != stored_name:
            raise BackupError(f"{name} was stored as {saved}: the {alias!r} store was not empty.")
        files += 1
    say(f"Files restored: {files}")
    counts = table_counts()
    different = {
        table: (count, counts.get(table)) for table, count in manifest["tables"].items() if counts.get(table) != count
    }
    if different:
        table, (expected, found) = next(iter(sorted(different.items())))
        raise VerificationFailed(
            f"the database and files were restored, but {table} has {found} rows instead of the backup's {expected} "
            f"({len(different)} table(s) differ): check the database before using it."
        )
    total = sum(entry["size"] for entry in manifest["files"].values())
    return Summary(len(counts), sum(counts.values()), files, total)

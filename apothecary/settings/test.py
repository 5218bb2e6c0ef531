"""Test settings: the base settings, made fast and quiet.

DATABASE_URL still chooses the database, so the same suite runs on SQLite and
on PostgreSQL.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# Files on local disk, whatever the environment says (tests/test_s3.py points the stores at a local S3 server).
for name in ("S3_BUCKET", "S3_PRIVATE_BUCKET"):
    os.environ.pop(name, None)

from .base import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES["prescriptions"]["OPTIONS"]["location"] = str(VAR_DIR / "test-private")  # noqa: F405
COMMENT_MIN_SECONDS = 0
# Background jobs run inside the request that queues them, whatever TASKS_BACKEND says: no worker in the tests
# (tests/test_two_servers.py starts a real one beside its own app servers).
TASKS_BACKEND = "immediate"
TASKS = {"default": {"BACKEND": TASK_BACKENDS["immediate"]}}  # noqa: F405
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in {"django_rq", "django_tasks_rq"}]  # noqa: F405
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Tests never reach Crossref or PubMed; the evidence tests turn this on against a local server.
VERIFY_REFERENCES_ON_SAVE = False
# pytest-xdist runs several test processes against one Redis: each keeps to its own keys (the tests clear theirs).
if os.environ.get("PYTEST_XDIST_WORKER") and "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"apothecary-test-{os.environ['PYTEST_XDIST_WORKER']}"  # noqa: F405
    CACHES["pages"]["KEY_PREFIX"] = f"apothecary-test-pages-{os.environ['PYTEST_XDIST_WORKER']}"  # noqa: F405
    CACHES["fragments"]["KEY_PREFIX"] = f"apothecary-test-fragments-{os.environ['PYTEST_XDIST_WORKER']}"  # noqa: F405
if CACHES["pages"]["BACKEND"].endswith("FileBasedCache"):  # noqa: F405
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}  # noqa: F405

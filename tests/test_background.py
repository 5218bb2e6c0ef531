"""Background jobs beside the site: TASKS_BACKEND's named choices, the database worker running what a save queued
(nothing slow in the request), and a failed job kept, listed and queued again (never lost silently)."""

from __future__ import annotations

import runpy
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from apothecary.core import background
from evidence.models import Reference, VerificationStatus
from evidence.tests.records import CHOU_DOI, CHOU_TITLE, crossref_work
from tests.fake_sources import Reply

BASE_SETTINGS = Path(__file__).resolve().parents[1] / "apothecary" / "settings" / "base.py"
DATABASE_QUEUE = {"TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, "TASKS_BACKEND": "db"}


def base_settings(monkeypatch, **environ) -> dict:
    """settings/base.py read afresh with these environment variables (the running settings are not touched)."""
    for name in ("TASKS_BACKEND", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


def test_the_database_queue_is_the_default_and_rq_and_immediate_are_named_choices(monkeypatch):
    assert base_settings(monkeypatch)["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert base_settings(monkeypatch, TASKS_BACKEND="Immediate")["TASKS"]["default"]["BACKEND"].endswith(
        "ImmediateBackend"
    )
    rq = base_settings(monkeypatch, TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/11")
    assert rq["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert rq["RQ_QUEUES"]["default"]["URL"] == "redis://127.0.0.1:6379/11"
    assert {"django_rq", "django_tasks_rq"} <= set(rq["INSTALLED_APPS"])


def test_rq_without_redis_and_an_unknown_backend_refuse_to_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="TASKS_BACKEND=rq .* set REDIS_URL"):
        base_settings(monkeypatch, TASKS_BACKEND="rq")
    with pytest.raises(ImproperlyConfigured, match="TASKS_BACKEND must be one of db, rq, immediate, not 'celery'"):
        base_settings(monkeypatch, TASKS_BACKEND="celery")


def test_the_tests_run_jobs_in_the_request():
    from django.conf import settings

    assert settings.TASKS_BACKEND == "immediate"
    out = StringIO()
    call_command("worker", stdout=out)
    assert "no worker to start" in out.getvalue()


@pytest.mark.django_db(transaction=True)  # the worker commits, as it does beside a real site
def test_a_saved_reference_waits_in_the_database_queue_until_the_worker_checks_it(sources, settings):
    settings.VERIFY_REFERENCES_ON_SAVE = True
    sources.crossref(CHOU_DOI, Reply(body=crossref_work()))
    with override_settings(**DATABASE_QUEUE):
        reference = Reference.objects.create(
            authors="Chou R, Peterson K, Helfand M",
            title=CHOU_TITLE,
            container="J Pain Symptom Manage",
            year=2004,
            doi=CHOU_DOI,
        )
        # Saved and queued; Crossref not asked yet: nothing slow happened in the save.
        assert sources.requests == []
        queued = DBTaskResult.objects.get(task_path="evidence.tasks.verify_reference_task")  # (and the search index)
        assert (queued.args_kwargs["args"], queued.status) == ([reference.pk], "READY")
        out = StringIO()
        call_command("worker", "--burst", stdout=out)
    assert "wait in the database" in out.getvalue()
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.VERIFIED
    assert len(sources.requests) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_is_kept_listed_and_queued_again(caplog):
    from evidence.tasks import verify_reference_task

    with override_settings(**DATABASE_QUEUE):
        verify_reference_task.enqueue("not-a-reference-id")
        call_command("worker", "--burst", stdout=StringIO())
        failed = DBTaskResult.objects.get()
        assert failed.status == "FAILED"
        assert any("state=FAILED" in record.getMessage() for record in caplog.records)  # logged with its traceback

        listing = StringIO()
        call_command("failed_tasks", stdout=listing)
        assert "evidence.tasks.verify_reference_task('not-a-reference-id')" in listing.getvalue()
        assert "ValueError" in listing.getvalue()
        assert "1 failed job(s)" in listing.getvalue()

        call_command("failed_tasks", "--retry", stdout=StringIO())
        again = DBTaskResult.objects.get()
        assert again.pk != failed.pk and again.status == "READY"  # queued again; the failed record gave way
        assert [job.task for job in background.failed_jobs()] == []

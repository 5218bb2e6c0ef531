"""The background worker and its failed jobs, whichever queue ``TASKS_BACKEND`` names (settings/base.py).

    db         the database (django-tasks-db): ``manage.py db_worker`` runs the jobs; a failed one stays in its
               table, status FAILED, with the traceback
    rq         Redis at ``REDIS_URL`` (django-tasks-rq): ``manage.py rqworker`` runs them; a failed one stays in
               RQ's failed-job registry with its traceback
    immediate  inside the request that queues them: nothing to run beside the site, nothing kept

Every failure is logged by django-tasks (logger ``django_tasks``, with the traceback) where the job ran;
``manage.py failed_tasks`` lists the failed jobs that are kept and ``--retry`` queues them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.management import call_command

QUEUE = "default"  # django-tasks' default queue: every task of this project goes there
RQ_JOB_CLASS = "django_tasks_rq.Job"  # the worker runs django-tasks' tasks with this job class (django-tasks-rq)


def backend() -> str:
    """The short name of the configured queue: "db", "rq" or "immediate"."""
    return getattr(settings, "TASKS_BACKEND", "immediate")


def describe() -> str:
    """One sentence: where this site's background jobs wait and what runs them."""
    name = backend()
    if name == "db":
        return "Background jobs wait in the database (TASKS_BACKEND=db) until this worker runs them."
    if name == "rq":
        where = _redacted(settings.REDIS_URL)
        return f"Background jobs wait in Redis at {where} (TASKS_BACKEND=rq) until a worker runs them."
    return (
        "TASKS_BACKEND=immediate: background jobs run inside the request that queues them, so there is no worker "
        "to start. Set TASKS_BACKEND=db (or rq, with REDIS_URL) to run them beside the site."
    )


def _redacted(url: str) -> str:
    """``url`` without its password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return parts.geturl()


def run_worker(*, burst: bool = False, verbosity: int = 1) -> bool:
    """Run the worker of the configured queue until stopped (SIGINT/SIGTERM: after the job it is running), or with
    ``burst`` until the queue is empty. False when there is no worker to run (``immediate``)."""
    name = backend()
    if name == "db":
        call_command("db_worker", reload=False, batch=burst, startup_delay=False, verbosity=verbosity)
    elif name == "rq":
        call_command("rqworker", QUEUE, job_class=RQ_JOB_CLASS, burst=burst, verbosity=verbosity)
    else:
        return False
    return True


@dataclass
class FailedJob:
    id: str
    task: str  # the task's dotted path
    arguments: str
    failed_at: datetime | None
    error: str  # the exception's last line


def failed_jobs(limit: int = 100) -> list[FailedJob]:
    """The failed jobs the queue keeps, newest first (none for ``immediate``: a failure there is only logged)."""
    name = backend()
    if name == "db":
        from django_tasks_db.models import DBTaskResult

        rows = DBTaskResult.objects.failed().order_by("-finished_at")[:limit]
        return [
            FailedJob(
                str(row.id),
                row.task_path,
                _arguments(row.args_kwargs.get("args", []), row.args_kwargs.get("kwargs", {})),
                row.finished_at,
                _last_line(row.traceback) or row.exception_class_path,
            )
            for row in rows
        ]
    if name == "rq":
        jobs = []
        for job in _rq_failed_jobs()[:limit]:
            result = job.latest_result()
            jobs.append(
                FailedJob(
                    job.id,
                    job.func_name,
                    _arguments(job.args, job.kwargs),
                    job.ended_at,
                    _last_line(result.exc_string if result else job.exc_info or ""),
                )
            )
        return sorted(jobs, key=lambda job: job.failed_at or datetime.min, reverse=True)
    return []


def retry_failed() -> int:
    """Queue every kept failed job again (the failed record is dropped as its new run is queued); how many."""
    name = backend()
    retried = 0
    if name == "db":
        from django_tasks_db.models import DBTaskResult

        for row in DBTaskResult.objects.failed():
            row.task.enqueue(*row.args_kwargs.get("args", []), **row.args_kwargs.get("kwargs", {}))
            row.delete()
            retried += 1
    elif name == "rq":
        import django_rq
        from rq.registry import FailedJobRegistry

        registry = FailedJobRegistry(queue=django_rq.get_queue(QUEUE))
        for job_id in registry.get_job_ids():
            registry.requeue(job_id)
            retried += 1
    return retried


def _rq_failed_jobs() -> list:
    import django_rq
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    queue = django_rq.get_queue(QUEUE)
    registry = FailedJobRegistry(queue=queue)
    return [job for job in Job.fetch_many(registry.get_job_ids(), connection=queue.connection) if job is not None]


def _arguments(args, kwargs) -> str:
    return ", ".join([*(repr(arg) for arg in args), *(f"{key}={value!r}" for key, value in kwargs.items())])


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""

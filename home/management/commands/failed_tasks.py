"""manage.py failed_tasks [--retry]: the background jobs that failed and are kept by the queue (TASKS_BACKEND db or
rq), newest first, and queue them again with --retry. Each failure was also logged, with its traceback, by the
worker that ran it."""

from django.core.management.base import BaseCommand

from apothecary.core import background


class Command(BaseCommand):
    help = "List the background jobs that failed (newest first); --retry queues them again."

    def add_arguments(self, parser):
        parser.add_argument("--retry", action="store_true", help="Queue every failed job again.")

    def handle(self, *, retry, **options):
        if background.backend() == "immediate":
            self.stdout.write(
                "TASKS_BACKEND=immediate keeps no failed jobs: a job that fails inside a request is logged there."
            )
            return
        jobs = background.failed_jobs()
        if not jobs:
            self.stdout.write(self.style.SUCCESS("No failed background jobs."))
            return
        for job in jobs:
            when = f"{job.failed_at:%Y-%m-%d %H:%M:%S}" if job.failed_at else "?"
            self.stdout.write(f"{when}  {job.task}({job.arguments})  {job.error}  [{job.id}]")
        if retry:
            count = background.retry_failed()
            self.stdout.write(self.style.SUCCESS(f"Queued {count} failed job(s) again."))
        else:
            self.stdout.write(f"{len(jobs)} failed job(s); `manage.py failed_tasks --retry` queues them again.")

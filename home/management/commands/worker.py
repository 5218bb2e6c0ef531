"""manage.py worker: run the background jobs (e-mails, reference checks) of the queue TASKS_BACKEND names.

``make worker`` runs it; ``make run`` starts it beside runserver. See apothecary/core/background.py."""

from django.core.management.base import BaseCommand

from apothecary.core import background


class Command(BaseCommand):
    help = "Run the background worker for TASKS_BACKEND: db (the database queue) or rq (Redis at REDIS_URL)."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Run the jobs already queued, then stop.")

    def handle(self, *, burst, verbosity, **options):
        self.stdout.write(background.describe())
        if background.backend() == "immediate":
            return
        self.stdout.write("Worker started" + (" (until the queue is empty)." if burst else "; Ctrl-C to stop."))
        background.run_worker(burst=burst, verbosity=verbosity)

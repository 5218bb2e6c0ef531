"""``manage.py load_demo``: the demo site (guides, products, articles, comments, users). Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apothecary.core import background
from apothecary.core.commands import quiet_loggers
from home.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo site: medicine guides, products, articles, comments and two demo users. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Rewrite existing demo guides and articles from the demo data (publishes a new revision).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DEBUG off (for benchmarks on a throwaway database).",
        )

    def handle(self, *args, refresh=False, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: this looks like a production site, and the demo creates a superuser with a "
                "known password. Use --allow-production only on a throwaway database."
            )
        with quiet_loggers("django_tasks", "wagtail"):
            load_demo(write=self.stdout.write, refresh=refresh)
            # The search index and the rest of what the demo queued, done now: the demo is whole without a worker.
            if background.run_worker(burst=True, verbosity=0):
                self.stdout.write("Ran the background jobs the demo queued (the search index).")

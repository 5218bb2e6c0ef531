"""``manage.py import_catalogue FILE [--dry-run]``: products, packs, prices and stock from a CSV file.

The format is described in ``catalogue.csv``. All or nothing: a file with an error anywhere imports
nothing, and the command exits with status 1 naming the rows. ``--dry-run`` prints what would change and
writes nothing. ``-`` reads standard input.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from catalogue import csv as catalogue_csv


class Command(BaseCommand):
    help = (
        "Import products, packs, prices and stock from a UTF-8 CSV file (the format export_catalogue writes). "
        "All or nothing: any error imports nothing and names the row. --dry-run shows the changes only."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file to import; - reads standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")

    def handle(self, *args, file, dry_run=False, verbosity=1, **options):
        plan = self.read(file)
        if dry_run or verbosity >= 2:
            self.show_changes(plan, unchanged=verbosity >= 2)
        for error in plan.errors:
            self.stderr.write(self.style.ERROR(str(error)))
        if not plan.ok:
            raise CommandError(catalogue_csv.describe_refusal(plan.errors))
        if dry_run:
            self.stdout.write(f"Would import: {plan.summary}")
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            written = catalogue_csv.apply(plan, source=file)
        except catalogue_csv.ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(self.style.ERROR(str(error)))
            raise CommandError(str(refused)) from refused
        self.stdout.write(self.style.SUCCESS(f"Imported {file}: {written.summary}"))

    def read(self, file: str) -> catalogue_csv.Plan:
        if file == "-":
            return catalogue_csv.read(sys.stdin.buffer)
        try:
            with open(file, "rb") as stream:
                return catalogue_csv.read(stream)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from exc

    def show_changes(self, plan: catalogue_csv.Plan, *, unchanged: bool) -> None:
        for change in plan.changes:
            if change.changed or unchanged:
                self.stdout.write(str(change))

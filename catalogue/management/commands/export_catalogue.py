"""``manage.py export_catalogue [FILE|-]``: every pack as CSV, in the format ``import_catalogue`` reads.

The format is described in ``catalogue.csv``. Writes to standard output without FILE or with ``-``.
"""

from django.core.management.base import BaseCommand, CommandError

from apothecary.core.text import plural
from catalogue import csv as catalogue_csv


class Command(BaseCommand):
    help = (
        "Write the catalogue (one row per pack: medicine, form, strength, product codes, SKU, units, price, "
        "stock) as UTF-8 CSV to FILE, or to standard output. import_catalogue reads the same format."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="Where to write the CSV; - (the default) is stdout.")

    def handle(self, *args, file="-", **options):
        if file == "-":
            count = catalogue_csv.write(self.stdout)
            self.stderr.write(f"Exported {plural(count, 'pack')}.")
            return
        try:
            with open(file, "w", encoding="utf-8", newline="") as stream:
                count = catalogue_csv.write(stream)
        except OSError as exc:
            raise CommandError(f"Cannot write {file}: {exc.strerror or exc}.") from exc
        self.stdout.write(self.style.SUCCESS(f"Exported {plural(count, 'pack')} to {file}."))

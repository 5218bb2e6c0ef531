"""``manage.py import_openfda FILE...``: U.S. drug labels from openFDA as draft guides and unpriced products.

Reads the ``/drug/label`` download files (``drug-label-0001-of-0013.json.zip``) or the JSON inside them; see
``imports.openfda`` for what each label becomes. Each record is saved in its own transaction: a record that
fails is named and the others are imported. Exits with status 1 when a record failed or a file could not be read.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apothecary.core.commands import Progress, quiet_loggers
from apothecary.core.text import plural
from imports import openfda


class Command(BaseCommand):
    help = (
        "Import openFDA drug labels (the /drug/label download files, .json or .json.zip) as draft medicine guides "
        "with the label as a reference, and inactive products without packs for each form and strength. "
        "Idempotent: keyed on the label's set_id; nothing is published."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="openFDA drug label files (.json or .zip).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Reapply labels whose version was already imported (their sections replace the draft's).",
        )

    def handle(self, *args, files, force=False, **options):
        missing = [name for name in files if not Path(name).is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}. Nothing was imported.")
        destination = openfda.Destination.find()
        if destination is None:
            raise CommandError(
                "The site has no Medicines A–Z and Drug classes pages to import into: create the site first "
                "(manage.py load_demo makes it). Nothing was imported."
            )
        today = timezone.localdate()
        summary = openfda.ImportSummary()
        with quiet_loggers("django_tasks", "wagtail"):
            for name in files:
                try:
                    for batch in openfda.read_label_file(name):
                        self.import_batch(batch, destination, today, force, summary)
                except openfda.LabelFileError as exc:
                    summary.bad_files += 1
                    self.stderr.write(self.style.ERROR(f"Cannot import {exc}"))
        self.report(summary)
        if summary.failed or summary.bad_files:
            problems = [plural(summary.failed, "record") + " failed"] if summary.failed else []
            problems += [plural(summary.bad_files, "file") + " could not be read"] if summary.bad_files else []
            raise CommandError(f"{' and '.join(problems)}: see the messages above. The other records were imported.")

    def import_batch(self, batch, destination, today, force, summary) -> None:
        self.stdout.write(f"{batch.name}: {plural(len(batch.records), 'record')}")
        progress = Progress(self.stdout, len(batch.records), Path(batch.name).name)
        for number, raw in enumerate(batch.records, start=1):
            try:
                outcome = openfda.import_label(raw, destination, today, force=force)
            except openfda.LabelSkipped as skipped:
                summary.skipped[str(skipped)] += 1
                progress.interrupt()
                self.stderr.write(self.style.WARNING(f"Skipped {openfda.describe_record(raw, number)}: {skipped}"))
            except Exception as exc:  # one bad record must not stop the others; its transaction was rolled back
                summary.failed += 1
                progress.interrupt()
                self.stderr.write(
                    self.style.ERROR(f"Failed {openfda.describe_record(raw, number)}: {describe_error(exc)}")
                )
            else:
                summary.add(outcome)
                for problem in outcome.product_problems:
                    progress.interrupt()
                    self.stdout.write(f"No product for {openfda.describe_record(raw, number)}: {problem}")
            progress.update(number)
        progress.interrupt()

    def report(self, summary: openfda.ImportSummary) -> None:
        guides, products = summary.guides, summary.products
        skipped = sum(summary.skipped.values())
        self.stdout.write("")
        self.stdout.write(
            f"Guides: {guides['created']} created, {guides['updated']} updated, {guides['unchanged']} unchanged, "
            f"{skipped} skipped, {summary.failed} failed."
        )
        for reason, count in sorted(summary.skipped.items()):
            self.stdout.write(f"  skipped {plural(count, 'record')}: {reason}")
        self.stdout.write("All imported guides are drafts: nothing was published.")
        if summary.live_revised:
            titles = ", ".join(f"{guide.title} ({guide.label_set_id})" for guide in summary.live_revised)
            self.stdout.write(
                self.style.WARNING(
                    f"{plural(len(summary.live_revised), 'live guide')} got a new draft revision to review "
                    f"(the site still shows the published version): {titles}"
                )
            )
        if summary.new_classes:
            titles = ", ".join(page.title for page in summary.new_classes)
            classes = plural(len(summary.new_classes), "draft drug class", "draft drug classes")
            self.stdout.write(
                f"{classes} made from the labels' FDA pharmacologic class (describe and publish them, or move the "
                f"guides): {titles}"
            )
        self.stdout.write(
            f"Products: {products['created']} created, {products['updated']} updated, "
            f"{products['unchanged']} unchanged. New products are inactive, have no packs and are not sold until a "
            "pharmacist approves them: add packs and prices, activate them, and have a pharmacist approve them."
        )
        for problem, count in sorted(summary.product_problems.items()):
            self.stdout.write(f"  no product ({plural(count, 'label')}): {problem}")


def describe_error(exc: Exception) -> str:
    """A validation error as "field: message"; anything else as its type and message."""
    message_dict = getattr(exc, "message_dict", None)
    if message_dict:
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in message_dict.items())
    messages = getattr(exc, "messages", None)
    if messages:
        return " ".join(messages)
    return f"{type(exc).__name__}: {exc}"

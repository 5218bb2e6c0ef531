"""Check references against Crossref and PubMed: ``manage.py verify_references [--all|--unchecked] [--record DIR]``."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db.models import Q

from evidence.models import Reference, VerificationStatus
from evidence.resolvers import ResolverError
from evidence.verification import record_answer, verify_reference

BAR_WIDTH = 10


class Command(BaseCommand):
    help = (
        "Check references' DOIs (Crossref) and PMIDs (PubMed) against what was typed. By default only those not "
        "checked yet or that could not be checked; --all rechecks every reference."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="Recheck every reference.")
        which.add_argument(
            "--unchecked",
            action="store_true",
            help="Only references not checked yet or that could not be checked (the default).",
        )
        parser.add_argument(
            "--record",
            metavar="DIR",
            type=Path,
            help="Also keep each source's answer in DIR/crossref/ or DIR/pubmed/, as load_demo reads them from "
            "home/demo/sources/.",
        )

    def handle(self, *args, **options):
        references = Reference.objects.order_by("pk")
        if not options["all"]:
            # A reference with neither identifier stays "not checked": nothing to ask, so not listed each time.
            references = references.filter(
                ~Q(doi="") | ~Q(pmid=""),
                verification_status__in=[VerificationStatus.NOT_CHECKED, VerificationStatus.COULD_NOT_CHECK],
            )
        total = references.count()
        if not total:
            self.stdout.write("No references to check.")
            return
        counts: Counter[str] = Counter()
        for number, reference in enumerate(references.iterator(), start=1):
            if options["record"]:
                try:
                    record_answer(reference, options["record"])
                except ResolverError as error:
                    self.stderr.write(f"{reference.short_label}: not recorded: {error}")
            verification = verify_reference(reference)
            counts[verification.status] += 1
            filled = round(BAR_WIDTH * number / total)
            bar = "#" * filled + " " * (BAR_WIDTH - filled)
            self.stdout.write(f"[{bar}] {number}/{total} {reference.short_label}: {verification.status}")
        self.stdout.write("")
        self.stdout.write(f"Checked {total} reference{'s' if total != 1 else ''}:")
        for status in VerificationStatus:
            if counts[status]:
                line = f"  {status.label}: {counts[status]}"
                style = self.style.SUCCESS if status == VerificationStatus.VERIFIED else self.style.WARNING
                self.stdout.write(style(line))

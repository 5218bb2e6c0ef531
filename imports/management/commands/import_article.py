"""Import a legacy article as a draft: ``manage.py import_article FILE_OR_URL [--parent PAGE_ID] [--no-verify]``.

Prints what was imported, skipped and dropped, then the content audit of the draft. Nothing is published.
"""

from django.core.management.base import BaseCommand, CommandError

from apothecary.core.commands import quiet_loggers
from evidence.audit import Severity
from imports import articles as importing


class Command(BaseCommand):
    help = (
        "Import a legacy HTML or plain-text article (a file, or an http(s) address) as a draft article under the "
        "article index, with its headings, paragraphs, lists, tables, quotes and references; check the new "
        "references against Crossref/PubMed and print the content audit. Nothing is published."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="FILE_OR_URL", help="A .html or .txt file, or an http(s) address.")
        parser.add_argument(
            "--parent", type=int, metavar="PAGE_ID", help="The article index to put it under (default: the site's)."
        )
        parser.add_argument(
            "--no-verify",
            action="store_true",
            help=(
                "Do not check the references against Crossref/PubMed before the audit (they stay “not checked”; "
                "with VERIFY_REFERENCES_ON_SAVE on, the background check still runs)."
            ),
        )

    def handle(self, *args, **options):
        try:
            parent = importing.article_index(options["parent"])
            with quiet_loggers("django_tasks", "wagtail", "imports.articles"):
                result = importing.import_article(options["source"], parent=parent, verify=not options["no_verify"])
        except importing.ImportFailed as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        for line in importing.report(result):
            if line.startswith(f"{Severity.ERROR} "):
                self.stdout.write(self.style.ERROR(line))
            elif line.startswith(f"{Severity.WARNING} "):
                self.stdout.write(self.style.WARNING(line))
            else:
                self.stdout.write(line)
        if result.errors:
            self.stdout.write(self.style.WARNING("Fix the errors before submitting the draft for publication."))

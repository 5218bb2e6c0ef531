"""Audit pages' content: ``manage.py audit_content (--slug SLUG | --all)``.

Prints each page's findings, errors first, and a summary; fails (exit status 1) when any error is found.
"""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from apothecary.core.text import plural
from evidence.audit import RULES, Severity, audit_page


class Command(BaseCommand):
    help = (
        "Check pages that expose their content (medicine guides, articles) for uncited figures, unlisted or "
        "failed sources, placeholder or malformed references, anonymous studies, repeated text or tags, figures, "
        "doses, strengths and prescription claims that contradict the site's guides and catalogue, promotional "
        "claims and overdue reviews (--rules lists them). Exits with status 1 when any error is found."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--slug", help="Audit the page(s) with this slug.")
        which.add_argument("--all", action="store_true", help="Audit every auditable page, published or not.")
        parser.add_argument("--rules", action="store_true", help="List the rules and stop.")

    def handle(self, *args, **options):
        if options["rules"]:
            for item in RULES:
                self.stdout.write(f"{item.code} ({item.severity.value}): {' '.join(item.doc.split())}")
            return
        if not (options["slug"] or options["all"]):
            raise CommandError("Say which pages to audit: --slug SLUG or --all.")
        pages = Page.objects.order_by("path")
        if options["slug"]:
            pages = pages.filter(slug=options["slug"])
            if not pages.exists():
                raise CommandError(f"No page has the slug “{options['slug']}”.")
        audited = errors = warnings = failing_pages = 0
        for page in pages.specific().iterator():
            if not hasattr(page, "audit_content"):
                continue
            audited += 1
            findings = audit_page(page)
            page_errors = sum(finding.severity is Severity.ERROR for finding in findings)
            errors += page_errors
            warnings += len(findings) - page_errors
            failing_pages += bool(page_errors)
            status = "" if page.live else " [draft]"
            heading = f"{page.title} ({page.url or page.slug}){status}: "
            if not findings:
                self.stdout.write(self.style.SUCCESS(heading + "no findings"))
                continue
            self.stdout.write(heading + f"{page_errors} error(s), {len(findings) - page_errors} warning(s)")
            for finding in findings:
                line = f"{finding.severity.value} {finding.code}  {page.title} › {finding.place}: {finding.message}"
                style = self.style.ERROR if finding.severity is Severity.ERROR else self.style.WARNING
                self.stdout.write(style(line))
        if options["slug"] and not audited:
            raise CommandError(f"The page “{options['slug']}” has no content to audit (no audit_content method).")
        self.stdout.write("")
        summary = (
            f"Audited {plural(audited, 'page')}: {plural(errors, 'error')} (on {plural(failing_pages, 'page')}), "
            f"{plural(warnings, 'warning')}."
        )
        if errors:
            self.stdout.write(self.style.ERROR(summary))
            raise CommandError(f"{plural(errors, 'error')} found: fix them before publishing.")
        self.stdout.write(self.style.SUCCESS(summary))

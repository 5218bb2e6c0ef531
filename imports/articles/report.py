"""The import and its audit, line by line, for the command line."""

from __future__ import annotations

from apothecary.core.text import plural
from evidence.models import VerificationStatus
from imports.articles.drafts import ImportResult

NO_REFERENCES = (
    "no reference list was found (a “References” heading followed by a list): add the sources in the editor."
)


def warnings(result: ImportResult) -> list[str]:
    """What the editor must know about the import: what was left out or lost, and a missing reference list."""
    return [*result.document.notes, *([f"References: {NO_REFERENCES}"] if not result.references else [])]


def report(result: ImportResult) -> list[str]:
    """The import and its audit, line by line, for the command line."""
    page, document = result.page, result.document
    blocks = ", ".join(
        f"{document.count(kind)} {name}"
        for kind, name in (
            ("heading", "headings"),
            ("paragraph", "paragraphs"),
            ("list", "lists"),
            ("table", "tables"),
            ("quote", "quotes"),
        )
    )
    lines = [
        f"Imported “{page.title}” from {result.origin} as a draft (page {page.pk}, not published).",
        f"  Body: {blocks}.",
        f"  References: {len(result.references)} ({len(result.created)} new, {len(result.reused)} reused).",
    ]
    if not result.references:
        lines[-1] = f"  References: 0. WARNING: {NO_REFERENCES}"
    if document.tags:
        lines.append(f"  Tags as found: {', '.join(document.tags)}.")
    for reference, verification in result.checks:
        status = VerificationStatus(verification.status).label
        lines.append(f"  Checked {reference.short_label} against its source: {status.lower()}.")
    lines.extend(f"  {note}" for note in document.notes)
    lines.append("")
    lines.append(f"Content audit of the draft “{page.title}”:")
    for finding in result.findings:
        lines.append(f"{finding.severity} {finding.code}  {finding.place}: {finding.message}")
    if not result.findings:
        lines.append("no findings")
    lines.append(f"Audit: {plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}.")
    return lines

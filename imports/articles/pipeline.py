"""All of it: read, parse, create, verify, audit."""

from __future__ import annotations

from wagtail.models import Page

from articles.models import ArticlePage
from evidence.audit import audit_page
from evidence.models import VerificationStatus
from evidence.verification import verify_reference
from imports.articles.document import Document
from imports.articles.drafts import ImportResult, article_index, create_draft
from imports.articles.fetch import Source, decode, load
from imports.articles.html import parse_html
from imports.articles.text import parse_text


def parse(text: str, is_html: bool) -> Document:
    return parse_html(text) if is_html else parse_text(text)


UNCONFIRMED = {VerificationStatus.NOT_CHECKED, VerificationStatus.COULD_NOT_CHECK}


def verify_references(result: ImportResult) -> None:
    """Checks the page's references that have a DOI or PMID and were not checked yet; never raises."""
    for reference in result.references:
        reference.refresh_from_db()
        if (reference.doi or reference.pmid) and reference.verification_status in UNCONFIRMED:
            result.checks.append((reference, verify_reference(reference)))


def import_source(source: Source, *, parent: Page | None = None, user=None, verify: bool = True) -> ImportResult:
    """Imports ``source`` as a draft article under ``parent`` (the article index by default), checks its new
    references unless ``verify`` is False, and audits it. Raises ``ImportFailed`` for bad input, saving nothing."""
    parent = parent or article_index()
    text, is_html = decode(source)
    result = create_draft(parse(text, is_html), parent, origin=source.origin, user=user)
    if verify:
        verify_references(result)
    result.page = ArticlePage.objects.get(pk=result.page.pk)
    result.findings = audit_page(result.page)
    return result


def import_article(path_or_url: str, *, parent: Page | None = None, user=None, verify: bool = True) -> ImportResult:
    """``import_source`` for a file path or an http(s) address."""
    parent = parent or article_index()
    return import_source(load(path_or_url), parent=parent, user=user, verify=verify)

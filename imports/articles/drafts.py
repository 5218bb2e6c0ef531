"""The draft article: its references, its body, and the page under the article index, in one transaction."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.models import Page

from articles.models import ArticleIndexPage, ArticlePage, ArticleReference, ArticleSeeAlsoLink
from evidence.audit import CITATION, Finding, Severity, citation_numbers, excerpt, normalise
from evidence.models import Reference
from evidence.verification import Verification
from imports.articles.document import Document, ImportFailed
from imports.articles.html import rich_text
from imports.articles.references import find_or_create_reference, parse_reference

logger = logging.getLogger(__name__)

IMPORT_ACTION = "articles.import_article"


@dataclass
class ImportResult:
    """What an import made, and what the audit found in it."""

    page: Page
    document: Document
    origin: str
    references: list[Reference] = field(default_factory=list)  # the page's numbered list, in order
    created: list[Reference] = field(default_factory=list)
    reused: list[Reference] = field(default_factory=list)
    checks: list[tuple[Reference, Verification]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(finding.severity is Severity.ERROR for finding in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def article_index(parent_id: int | None = None) -> Page:
    """Where imported articles go: the page ``parent_id`` if it is an article index, else the site's one."""
    if parent_id is None:
        index = ArticleIndexPage.objects.order_by("path").first()
        if index is None:
            raise ImportFailed("This site has no article index (“Articles”) to put the article under: create it first.")
        return index
    page = Page.objects.filter(pk=parent_id).specific().first()
    if page is None:
        raise ImportFailed(f"There is no page with the id {parent_id}.")
    if not isinstance(page, ArticleIndexPage):
        raise ImportFailed(f"Page {parent_id} (“{page.title}”) is not an article index: articles go under one.")
    return page


def _renumber(text: str, numbers: dict[int, int]) -> str:
    """Citation markers rewritten from one reference list's numbers to the page's ("[2]" → "[5]")."""

    def replace(match: re.Match) -> str:
        found = citation_numbers(match.group(0))
        if not found or any(number not in numbers for number in found):
            return match.group(0)
        return "[" + ", ".join(str(numbers[number]) for number in found) + "]"

    return CITATION.sub(replace, text) if numbers else text


def _matching_reference(attribution: str, references: list[Reference]) -> Reference | None:
    """The page's reference that a quote's credit names: by its title, or by its first author and year. A journal's
    name alone ("– Alcohol and Alcoholism") names no article, so it matches nothing."""
    key = normalise(attribution)
    if not key:
        return None
    for reference in references:
        title = normalise(reference.title)
        first_author = normalise(reference.authors).split(" ")[0]
        if (title and len(title) >= 10 and title in key) or (
            first_author and reference.year and first_author in key.split() and str(reference.year) in key
        ):
            return reference
    return None


def _summary(document: Document) -> str:
    first = next((block.text for block in document.blocks if block.kind == "paragraph"), document.title)
    sentence = re.split(r"(?<=[.!?])\s+", first, maxsplit=1)[0]
    return excerpt(sentence, 300)


PRODUCT_BOX_TITLE = "Product box as imported: delete it before publishing"


def body_blocks(document: Document, numbers_by_list: list[dict[int, int]], references: list[Reference]) -> list:
    """The StreamField value for the article's body: (block type, value) pairs."""
    body = []
    list_index = 0
    tables = 0
    heading = ""
    for block in document.blocks:
        if block.kind == "references":
            list_index += 1
            continue
        # markers cite the next reference list (or the last one, after it)
        numbers = numbers_by_list[min(list_index, len(numbers_by_list) - 1)] if numbers_by_list else {}
        if block.kind == "heading":
            heading = block.text
            if len(block.text) <= 120:
                body.append(("heading", {"text": block.text, "level": "h2" if block.level <= 2 else "h3"}))
            else:
                body.append(("paragraph", rich_text(f"<p><b>{html.escape(block.text, quote=False)}</b></p>")))
        elif block.kind == "paragraph":
            body.append(("paragraph", rich_text(f"<p>{_renumber(block.html, numbers)}</p>")))
        elif block.kind == "list":
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{_renumber(item, numbers)}</li>" for item in block.items)
            body.append(("paragraph", rich_text(f"<{tag}>{items}</{tag}>")))
        elif block.kind == "table":
            tables += 1
            width = max(len(row) for row in block.rows)
            rows = [[_renumber(cell, numbers) for cell in row] + [""] * (width - len(row)) for row in block.rows]
            caption = block.text or heading or f"Table {tables}"
            body.append(
                (
                    "table",
                    {
                        "caption": excerpt(caption, 200),
                        "reference": None,
                        "table": {
                            "data": rows,
                            "first_row_is_table_header": True,
                            "first_col_is_header": True,
                            "table_caption": "",
                        },
                    },
                )
            )
        elif block.kind == "product_box":
            lines = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in [block.text, *block.items] if line)
            body.append(("callout", {"kind": "warning", "title": PRODUCT_BOX_TITLE, "text": rich_text(lines)}))
        elif block.kind == "quote":
            body.append(
                (
                    "quote",
                    {
                        "quote": _renumber(block.text, numbers),
                        "reference": _matching_reference(block.attribution, references),
                        "attribution": excerpt(block.attribution, 255),
                    },
                )
            )
    return body


def create_draft(document: Document, parent: Page, *, origin: str, user=None) -> ImportResult:
    """The draft article for ``document`` under ``parent``, with its references, in one transaction. Never
    published: the page is not live and has one draft revision."""
    if not any(block.kind not in ("references", "product_box") for block in document.blocks):
        raise ImportFailed(f"No article text was found in “{origin}”.")
    result_references: list[Reference] = []
    created: list[Reference] = []
    reused: list[Reference] = []
    numbers_by_list: list[dict[int, int]] = []
    with transaction.atomic():
        for block in document.blocks:
            if block.kind != "references":
                continue
            numbers = {}
            for number, item in enumerate(block.items, start=1):
                reference, is_new = find_or_create_reference(parse_reference(item))
                if reference not in result_references:
                    result_references.append(reference)
                    (created if is_new else reused).append(reference)
                numbers[number] = result_references.index(reference) + 1
            numbers_by_list.append(numbers)
        title = excerpt(document.title or Path(origin).stem or "Imported article", 255)
        page = ArticlePage(
            title=title,
            slug=find_available_slug(parent, slugify(title)[:80].strip("-") or "imported-article"),
            summary=_summary(document),
            body=body_blocks(document, numbers_by_list, result_references),
            imported_from=excerpt(origin, 500),
            imported_tags=", ".join(document.tags),
            live=False,
            has_unpublished_changes=True,
            owner=user,
        )
        for order, reference in enumerate(result_references):
            page.article_references.add(ArticleReference(reference=reference, sort_order=order))
        tags = list(dict.fromkeys([*document.tags, *document.categories]))
        if document.categories:
            document.notes.append(
                f"Category {', '.join(f'“{name}”' for name in document.categories)}: articles have no categories, "
                "so it is kept as a tag."
            )
        page.tags.add(*tags)
        for title_seen in document.see_also:
            linked = Page.objects.filter(title__iexact=title_seen.strip()).first()
            if linked is None:
                document.notes.append(f"See also “{excerpt(title_seen, 80)}”: no page has that title, so no link.")
            else:
                page.see_also_links.add(ArticleSeeAlsoLink(linked_page=linked))
        parent.add_child(instance=page)
        page.save_revision(user=user, log_action=False)
        log(instance=page, action=IMPORT_ACTION, user=user, data={"source": excerpt(origin, 500)})
    logger.info("Imported %s as draft article %s (%s references)", origin, page.pk, len(result_references))
    return ImportResult(page, document, origin, result_references, created, reused)

"""What a parsed article is (``Document``, ``Block``), the one failure (``ImportFailed``) and the small helpers
every stage shares."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.conf import settings


def max_bytes() -> int:
    """The largest source accepted (``ARTICLE_IMPORT_MAX_BYTES``, 2 MB by default)."""
    return settings.ARTICLE_IMPORT_MAX_BYTES


class ImportFailed(Exception):
    """The source could not be imported; the message says why in a sentence for the editor. Nothing was saved."""


# ---------------------------------------------------------------------------
# What a parsed article is


@dataclass
class Block:
    """One block of the article as found: ``kind`` is "heading", "paragraph", "list", "table", "quote",
    "references" or "product_box" (a legacy product box: ``text`` its product's name, ``items`` its lines)."""

    kind: str
    text: str = ""  # the plain text: of a heading, paragraph or quote; a table's caption; a list's items, a line each
    html: str = ""  # a paragraph's inline HTML (sanitised: b, i and links only)
    level: int = 2  # a heading's: 2 for a section, 3 for a sub-heading
    items: list[str] = field(default_factory=list)  # a list's items (inline HTML), or the references (plain text)
    ordered: bool = False
    rows: list[list[str]] = field(default_factory=list)  # a table's rows, the header first
    attribution: str = ""  # whom a quote is credited to, as written


@dataclass
class Document:
    """An article as parsed, before anything is saved."""

    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # as found: repeats included
    categories: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)  # titles of pages the source links to
    notes: list[str] = field(default_factory=list)  # what was skipped or dropped, and why

    def count(self, kind: str) -> int:
        return sum(block.kind == kind for block in self.blocks)

    @property
    def references(self) -> list[str]:
        return [item for block in self.blocks if block.kind == "references" for item in block.items]


QUOTE_LINE = re.compile(r"^[“\"„«](?P<quote>.+?)[”\"“»]\s*[–—-]{1,2}\s*(?P<source>\S.{0,200})$")


def squash(text: str) -> str:
    return " ".join(text.split())


def unquote(text: str) -> str:
    return text.strip().strip('“”"„«»').strip()


def paragraph(text: str) -> Block:
    """A paragraph, or a quote when the text is a line in quotes followed by "– Source"."""
    match = QUOTE_LINE.match(text)
    if match:
        return Block("quote", text=match.group("quote").strip(), attribution=match.group("source").strip())
    return Block("paragraph", text=text, html=html.escape(text, quote=False))

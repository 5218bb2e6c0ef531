"""What both formats need sorted out (``recognise``): legacy product boxes ("Price: … per pill", "Active
Ingredient:", "Dosage:") are kept apart as a "product_box" block (a callout in the draft, for the audit to check
the strengths it names against the catalogue, and for the editor to delete); the comment form ("Leave a Reply…") is
dropped; "Category:", "Tags:" and "See also" lines are read; a "References" heading and the numbered list after it
become the reference list; a line in quotes followed by "– Source" is a quote."""

from __future__ import annotations

import re

from evidence.audit import excerpt
from imports.articles.document import QUOTE_LINE, Block, Document, paragraph

REFERENCES_HEADING = re.compile(
    r"^(?:references|sources|bibliography|works cited|citations|literature|further reading)\s*:?$", re.I
)
PRODUCT_BOX_START = re.compile(r"^price\s*:", re.I)
PRODUCT_BOX_LINE = re.compile(
    r"^(?:active ingredients?|dosages?|strengths?|forms?|manufacturer|brand(?: names?)?|pack(?:age)?s?|quantity|"
    r"availability|buy now|order now|add to cart)\b\s*:?",
    re.I,
)
COMMENT_FORM_START = re.compile(r"^(?:leave a (?:reply|comment)|post a comment|add a comment)\b", re.I)
COMMENT_FORM_LINE = re.compile(
    r"your email address will not be published|required fields are marked|^(?:comment|name|e-?mail|website)\s*\*?$"
    r"|^post comment$|save my name, email",
    re.I,
)
CATEGORY_LINE = re.compile(r"^categor(?:y|ies)\s*:\s*(?P<value>.+?)(?=\s+tags?\s*:|$)", re.I)
TAGS_LINE = re.compile(r"(?:^|\s)tags?\s*:\s*(?P<value>.+)$", re.I)
SEE_ALSO_LINE = re.compile(r"^see also\b\s*[:–—-]?\s*(?P<value>.*)$", re.I)
STANDS_ALONE = re.compile(
    r"^(?:price|categor(?:y|ies)|tags?)\s*:|^see also\b|" + COMMENT_FORM_START.pattern,
    re.I,
)
ITEM_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\d{1,3}[.)])\s*")


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"\s*[,;]\s*", value) if part.strip()]


def recognise(document: Document) -> Document:
    """Sorts out the blocks that are not article content (see the module's docstring); fills in the title from
    the first heading when the source gave none."""
    kept: list[Block] = []
    blocks = document.blocks
    index = 0
    while index < len(blocks):
        block = blocks[index]
        text = block.text if block.kind in ("heading", "paragraph") else ""
        if text and COMMENT_FORM_START.match(text):
            index += 1
            while index < len(blocks) and COMMENT_FORM_LINE.search(blocks[index].text):
                index += 1
            document.notes.append(f"Dropped the comment form (“{excerpt(text, 40)}”): comments are not imported.")
            continue
        if text and COMMENT_FORM_LINE.search(text) and len(text) < 120:
            index += 1
            continue
        if text and PRODUCT_BOX_START.match(text):
            index = _skip_product_box(document, blocks, index, kept)
            continue
        if text and (CATEGORY_LINE.match(text) or re.match(r"^tags?\s*:", text, re.I)):
            category = CATEGORY_LINE.match(text)
            if category:
                document.categories.extend(_split_list(category.group("value")))
            tags = TAGS_LINE.search(text)
            if tags:
                document.tags.extend(_split_list(tags.group("value")))
            index += 1
            continue
        if text and SEE_ALSO_LINE.match(text):
            value = SEE_ALSO_LINE.match(text).group("value")
            index += 1
            if value:
                document.see_also.append(value)
            elif index < len(blocks) and blocks[index].kind == "list":  # "See also" heading, then a list
                document.see_also.extend(_plain_items(blocks[index]))
                index += 1
            continue
        if block.kind == "heading" and REFERENCES_HEADING.match(block.text):
            index = _reference_list(blocks, index + 1, kept)
            continue
        if block.kind == "paragraph" and QUOTE_LINE.match(block.text):
            block = paragraph(block.text)
        kept.append(block)
        index += 1
    document.blocks = kept
    if not document.title:
        first = next((block for block in kept if block.kind == "heading"), None)
        if first is not None:
            document.title = first.text
            kept.remove(first)
    return document


def _plain_items(block: Block) -> list[str]:
    return [line for line in block.text.split("\n") if line.strip()]


def _skip_product_box(document: Document, blocks: list[Block], index: int, kept: list[Block]) -> int:
    """Skips a product box starting at ``blocks[index]`` ("Price: …"), with the product's name just before it
    and the "Active Ingredient:", "Dosage:"… lines after it; returns the index after the box."""
    name = ""
    if kept and kept[-1].kind in ("heading", "paragraph") and len(kept[-1].text) <= 60:
        previous = kept[-1].text
        if not previous.endswith((".", ":")) and not PRODUCT_BOX_LINE.match(previous):
            name = kept.pop().text
    lines = [blocks[index].text]
    index += 1
    while index < len(blocks) and blocks[index].kind in ("heading", "paragraph"):
        if not PRODUCT_BOX_LINE.match(blocks[index].text):
            break
        lines.append(blocks[index].text)
        index += 1
    label = f"“{name}” " if name else ""
    kept.append(Block("product_box", text=name, items=lines))
    document.notes.append(
        f"Kept a product box {label}({'; '.join(lines)}) as a callout for the audit to check: prices and strengths "
        "come from the catalogue, so delete it before publishing."
    )
    return index


def _reference_list(blocks: list[Block], index: int, kept: list[Block]) -> int:
    """The references after a "References" heading: the lists (and numbered paragraphs) that follow it."""
    items: list[str] = []
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "list":
            items.extend(_plain_items(block))
        elif block.kind == "paragraph" and ITEM_NUMBER.match(block.text):
            items.append(block.text)
        else:
            break
        index += 1
    items = [ITEM_NUMBER.sub("", item, count=1).strip() for item in items]
    items = [item for item in items if item]
    if items:
        kept.append(Block("references", items=items))
    return index

"""Reading an HTML page: sanitised with nh3 first (scripts, styles, iframes, forms and event handlers never
survive), then its structure read with the standard library's ``html.parser``."""

from __future__ import annotations

import html
import re
import urllib.parse
from html.parser import HTMLParser

import nh3

from imports.articles.boilerplate import recognise
from imports.articles.document import Block, Document, squash, unquote
from imports.articles.losses import cut_dropped_elements, loss_note, lost_words, text_of

KEPT_TAGS = {
    "title", "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "section", "article", "header",
    "footer", "main", "aside", "nav", "figure", "figcaption", "pre", "address", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "blockquote", "cite", "q", "b", "strong", "i",
    "em", "a", "sup", "sub", "small", "code", "abbr",
}  # fmt: skip
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "noscript", "template", "object", "embed", "form", "textarea", "select", "button",
    "svg", "math", "canvas", "audio", "video",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}


def sanitise(markup: str) -> str:
    """The HTML with only structural and inline text tags, links (http, https, mailto) and a blockquote's
    ``cite``: no scripts, styles, iframes, forms, event handlers or other attributes."""
    return nh3.clean(
        markup,
        tags=KEPT_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}, "blockquote": {"cite"}},
        url_schemes=SAFE_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def rich_text(markup: str) -> str:
    """Rich text for a paragraph block: nh3 again on what we built, keeping what the body's editor knows."""
    return nh3.clean(
        markup,
        tags={"p", "b", "i", "a", "ul", "ol", "li", "br"},
        attributes={"a": {"href"}},
        url_schemes=SAFE_SCHEMES,
        link_rel=None,
    )


BLOCK_LEVEL = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure", "figcaption", "pre",
    "address", "hr", "dl", "dt", "dd", "br",
}  # fmt: skip
INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i"}


class _Capture:
    """Text being collected for one block (a paragraph, heading, list item, cell, quote…)."""

    def __init__(self, kind: str, level: int = 0):
        self.kind = kind
        self.level = level
        self.html: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []
        self.cite: list[str] = []  # a quote's <cite>

    @property
    def plain(self) -> str:
        return squash("".join(self.text))

    @property
    def markup(self) -> str:
        return squash("".join(self.html))


def _add_item(block: Block, markup: str, plain: str) -> None:
    """A list item: its inline HTML in ``items``, its plain text (with its links' addresses, which a reference
    list needs) as a line of ``text``."""
    block.items.append(markup)
    block.text = f"{block.text}\n{plain}" if block.items[:-1] else plain


class ArticleHTMLParser(HTMLParser):
    """Reads sanitised HTML into blocks. Nested lists are flattened; a table's cells are plain text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.outside: list[Block] = []  # blocks outside the post's <article>, when it has one
        self.article_depth = 0
        self.article_seen = False
        self.page_title = ""
        self.h1 = ""
        self.captures: list[_Capture] = []
        self.lists: list[Block] = []
        self.table: Block | None = None
        self.row: list[str] | None = None
        self.in_title = False
        self.in_cite = 0
        self.open_links: list[bool] = []

    def _emit(self, block: Block) -> None:
        (self.blocks if self.article_depth or not self.article_seen else self.outside).append(block)

    # -- the block being written to

    @property
    def current(self) -> _Capture | None:
        return self.captures[-1] if self.captures else None

    def _flush_paragraph(self) -> None:
        capture = self.current
        if capture is not None and capture.kind == "paragraph":
            self.captures.pop()
            if capture.plain:
                self._emit(Block("paragraph", text=capture.plain, html=capture.markup))

    def _paragraph(self) -> _Capture:
        if self.current is None:
            self.captures.append(_Capture("paragraph"))
        return self.current

    def _end_item(self) -> None:
        capture = self.current
        if capture is not None and capture.kind == "item":
            self.captures.pop()
            if capture.plain and self.lists:
                links = [link for link in capture.links if link not in capture.plain]
                _add_item(self.lists[-1], capture.markup, " ".join([capture.plain, *links]))

    # -- html.parser's callbacks

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "article":
            self._flush_paragraph()
            if not self.article_seen:  # the post itself: what came before it was the site's header and menus
                self.article_seen = True
                self.outside.extend(self.blocks)
                self.blocks = []
            if self.article_depth or not self.blocks:
                self.article_depth += 1
            return
        if tag == "title":
            self.in_title = True
        elif tag in BLOCK_LEVEL:
            if self.current is not None and self.current.kind in ("item", "cell", "quote", "caption"):
                self.current.html.append(" ")
                self.current.text.append(" ")
            else:
                self._flush_paragraph()
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush_paragraph()
            self.captures.append(_Capture("heading", int(tag[1])))
        elif tag in ("ul", "ol"):
            self._flush_paragraph()
            self._end_item()
            self.lists.append(Block("list", ordered=tag == "ol"))
        elif tag == "li":
            self._end_item()
            self._flush_paragraph()
            self.captures.append(_Capture("item"))
        elif tag == "table":
            self._flush_paragraph()
            self.table = Block("table")
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.captures.append(_Capture("cell"))
        elif tag == "caption" and self.table is not None:
            self.captures.append(_Capture("caption"))
        elif tag == "blockquote":
            self._flush_paragraph()
            capture = _Capture("quote")
            if attributes.get("cite"):
                capture.links.append(attributes["cite"])
            self.captures.append(capture)
        elif tag == "cite":
            self.in_cite += 1
        elif tag == "a":
            href = attributes.get("href") or ""
            keep = bool(href) and urllib.parse.urlsplit(href).scheme in SAFE_SCHEMES
            self.open_links.append(keep)
            capture = self._paragraph()
            if keep:
                capture.links.append(href)
                capture.html.append(f'<a href="{html.escape(href)}">')
        elif tag in INLINE:
            self._paragraph().html.append(f"<{INLINE[tag]}>")

    def handle_endtag(self, tag):
        if tag == "article" and self.article_depth:
            self._end_item()
            self._flush_paragraph()
            self.article_depth -= 1
            return
        if tag == "title":
            self.in_title = False
        elif re.fullmatch(r"h[1-6]", tag):
            capture = self.current
            if capture is not None and capture.kind == "heading":
                self.captures.pop()
                if capture.level == 1 and not self.h1:
                    self.h1 = capture.plain
                elif capture.plain:
                    self._emit(Block("heading", text=capture.plain, level=2 if capture.level <= 2 else 3))
        elif tag in ("ul", "ol"):
            self._end_item()
            if self.lists:
                block = self.lists.pop()
                if self.lists:  # a nested list: its items join the outer list
                    for markup, plain in zip(block.items, block.text.split("\n"), strict=True):
                        _add_item(self.lists[-1], markup, plain)
                elif block.items:
                    self._emit(block)
        elif tag == "li":
            self._end_item()
        elif tag in ("td", "th"):
            capture = self.current
            if capture is not None and capture.kind == "cell":
                self.captures.pop()
                if self.row is not None:
                    self.row.append(capture.plain)
        elif tag == "tr" and self.table is not None and self.row is not None:
            if any(self.row):
                self.table.rows.append(self.row)
            self.row = None
        elif tag == "caption" and self.current is not None and self.current.kind == "caption":
            capture = self.captures.pop()
            if self.table is not None:
                self.table.text = capture.plain
        elif tag == "table" and self.table is not None:
            if self.table.rows:
                width = max(len(row) for row in self.table.rows)
                self.table.rows = [row + [""] * (width - len(row)) for row in self.table.rows]
                self._emit(self.table)
            self.table = None
        elif tag == "blockquote":
            self._flush_paragraph()
            capture = self.current
            if capture is not None and capture.kind == "quote":
                self.captures.pop()
                attribution = squash(" ".join(capture.cite)) or (capture.links[0] if capture.links else "")
                text = capture.plain
                if attribution and text.endswith(attribution):
                    text = re.sub(r"\s*[–—-]*\s*$", "", text[: -len(attribution)])
                if text:
                    self._emit(Block("quote", text=unquote(text), attribution=attribution))
        elif tag == "cite":
            self.in_cite = max(0, self.in_cite - 1)
        elif tag == "a":
            if self.open_links and self.open_links.pop() and self.current is not None:
                self.current.html.append("</a>")
        elif tag in INLINE and self.current is not None:
            self.current.html.append(f"</{INLINE[tag]}>")
        elif tag in BLOCK_LEVEL and (self.current is None or self.current.kind == "paragraph"):
            self._flush_paragraph()

    def handle_data(self, data):
        if self.in_title:
            self.page_title += data
            return
        if not data.strip() and self.current is None:
            return
        if self.table is not None and self.row is None and self.current is None:
            return  # whitespace between rows
        capture = self.current or self._paragraph()
        capture.html.append(html.escape(data, quote=False))
        capture.text.append(data)
        if self.in_cite and capture.kind == "quote":
            capture.cite.append(data)

    def close(self):
        super().close()
        self._end_item()
        self._flush_paragraph()
        while self.lists:
            block = self.lists.pop()
            if block.items:
                self._emit(block)


def parse_html(markup: str) -> Document:
    """The article in a (sanitised) HTML page: the first <h1> (else the <title>) is its title."""
    markup, notes, text = cut_dropped_elements(markup, DROPPED_WITH_CONTENT)
    clean = sanitise(markup)
    lost = lost_words(text, text_of(clean))
    if lost:
        notes.append(loss_note(lost))
    parser = ArticleHTMLParser()
    parser.feed(clean)
    parser.close()
    title = parser.h1 or re.split(r"\s+[–—|]\s+", squash(parser.page_title))[0]
    document = Document(title=title, blocks=parser.blocks, notes=notes)
    if parser.outside:
        document.notes.append(
            f"Left out {len(parser.outside)} block{'s' if len(parser.outside) != 1 else ''} outside the post's "
            "<article> (the site's header, menus, sidebar, comments)."
        )
    return recognise(document)

"""Import a legacy article (a WordPress post, or the text of one) as a draft ``ArticlePage``.

One pipeline, used by ``manage.py import_article`` and by the admin's "Import an article" screen:

1. **Read** (``load_path``, ``fetch_url``, ``decode``): a file or an http(s) address, capped in size and time;
   binary, empty or unreachable sources fail with ``ImportFailed`` and a sentence saying why.
2. **Parse** into a ``Document`` of ``Block``s (heading, paragraph, list, table, quote, references):
   ``parse_html`` sanitises with nh3 first (scripts, styles, iframes, forms and event handlers never
   survive), then reads the structure with the standard library's ``html.parser``; ``parse_text`` reads plain
   text with the heuristics below. ``recognise`` then does what both need: legacy product boxes ("Price: … per
   pill", "Active Ingredient:", "Dosage:") are skipped, since prices come from the catalogue; the comment form
   ("Leave a Reply…") is dropped; "Category:", "Tags:" and "See also" lines are read; a "References" heading
   and the numbered list after it become the reference list; a line in quotes followed by "– Source" is a quote.
3. **Create** (``create_draft``), in one transaction: the references (``parse_reference``; an existing
   ``Reference`` with the same DOI, else the same URL, else the same authors, title and year, is reused), then
   the page under the article index, never published: not live, with one draft revision. The tags are set on
   the page (taggit keeps each once) and kept exactly as found in ``imported_tags`` for the audit.
4. **Verify** the new references against Crossref/PubMed (``evidence.verification``; a failing service only
   leaves them "could not check") and **audit** the draft (``evidence.audit.audit_page``).

Plain text, as read by ``parse_text``:

- The first line, when it stands alone, is the title. Blank lines separate blocks.
- A heading is a single short line (at most 100 characters, 16 words) that does not end with ".", ",", ";" or
  "!". "5. Side effects" (numbered) is a section heading; after the first numbered heading, unnumbered headings
  are its sub-headings, and before it a heading ending with ":" ("Advantages of Baclofen:") is a sub-heading.
- Lines starting with "•", "-", "*" or "–" are a bulleted list; lines starting "1." or "1)" a numbered one.
- Consecutive lines (no blank line between) whose first line is in Title Case ("Study Number of Participants
  Findings") are a table: that line is the header, each other line a row; a first line with ": " before such a
  header is the caption ("Survey Results: …"). Header columns start at capitalised words not preceded by
  "of", "and", "the"… ("Number of Participants" is one column). A row is cut into as many cells as the header
  has columns: a column whose header says it holds numbers ("Number…", "Percentage…") takes one number; any
  other cell ends after a citation marker ("[1]"), before a quotation (“Alcohol and Alcoholism”) or before a
  capitalised word that starts a sentence ("Baclofen reduces…"). When some row cannot fill every column,
  adjacent header words are merged ("Side Effect"), leading ones first; when no split fills every row, the
  lines are read as paragraphs instead.
- A line in “curly” or "straight" quotes followed by "– Source" is a quote credited to Source.
"""

from __future__ import annotations

import html
import http.client
import ipaddress
import itertools
import logging
import re
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nh3
from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.models import Page

from apothecary.text import plural
from evidence.audit import CITATION, Finding, Severity, audit_page, citation_numbers, excerpt, normalise
from evidence.models import DOI_PATTERN, Reference, ReferenceKind, VerificationStatus, normalise_doi
from evidence.verification import Verification, verify_reference

logger = logging.getLogger(__name__)

IMPORT_ACTION = "articles.import_article"


def max_bytes() -> int:
    """The largest source accepted (``ARTICLE_IMPORT_MAX_BYTES``, 2 MB by default)."""
    return settings.ARTICLE_IMPORT_MAX_BYTES


class ImportFailed(Exception):
    """The source could not be imported; the message says why in a sentence for the editor. Nothing was saved."""


# ---------------------------------------------------------------------------
# What a parsed article is


@dataclass
class Block:
    """One block of the article as found: ``kind`` is "heading", "paragraph", "list", "table", "quote" or
    "references"."""

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


# ---------------------------------------------------------------------------
# 1. Reading: a file, an upload or an http(s) address


@dataclass
class Source:
    """The raw bytes of what is imported, with where they came from."""

    data: bytes
    origin: str  # the path, file name or address, for messages and the page's "imported from"
    content_type: str = ""  # from the HTTP answer, when there was one
    charset: str = ""


def load_path(path: str) -> Source:
    """A local file, refused when it is missing, a folder, too large or empty."""
    file = Path(path)
    if not file.exists():
        raise ImportFailed(f"There is no file “{path}”.")
    if not file.is_file():
        raise ImportFailed(f"“{path}” is not a file.")
    if file.stat().st_size > max_bytes():
        raise ImportFailed(f"“{path}” is larger than {max_bytes() // 1_000_000} MB: is it really one article?")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ImportFailed(f"“{path}” could not be read: {error.strerror or error}.") from error
    return Source(data, str(path))


MAX_REDIRECTS = 5


def check_address(url: str) -> tuple[urllib.parse.SplitResult, int, str]:
    """The parts, port and the one IP address to connect to, for an http(s) address whose every resolved address
    is public (unless ``ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS`` is on, as in tests with a local server). The fetch
    connects to that address and no other: the name is not resolved a second time (no DNS rebinding)."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:  # "http://host:99999/", "http://[::1/x"
        raise ImportFailed(f"“{excerpt(url, 80)}” is not a valid address.") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImportFailed(f"Only http:// and https:// addresses can be imported, not “{excerpt(url, 80)}”.")
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ImportFailed(f"The address “{parts.hostname}” could not be found.") from error
    addresses = [info[4][0] for info in infos]
    if not getattr(settings, "ARTICLE_IMPORT_ALLOW_PRIVATE_HOSTS", False):
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or not _embedded_ipv4_is_global(ip):
                raise ImportFailed(
                    f"“{parts.hostname}” is an address inside this server's network ({ip}); only public pages can be "
                    "imported."
                )
    return parts, port, addresses[0]


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4_is_global(ip) -> bool:
    """An IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4, Teredo) is as public as that IPv4 address."""
    if ip.version != 6:
        return True
    embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
    if embedded is None and ip in NAT64:
        embedded = ipaddress.ip_address(int(ip) & 0xFFFFFFFF)
    return embedded is None or embedded.is_global


class _Deadline:
    """One deadline for the whole fetch (every redirect, connecting, TLS, headers and body): when it passes, the
    socket is shut down, so that a server sending a byte at a time cannot hold the import."""

    def __init__(self, seconds: float):
        self.seconds, self.ends = seconds, time.monotonic() + seconds
        self.sock = None
        self.timer = threading.Timer(seconds, self._expire)
        self.timer.daemon = True
        self.timer.start()

    def left(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def watch(self, sock) -> None:
        self.sock = sock
        if time.monotonic() >= self.ends:
            self._expire()

    def _expire(self) -> None:
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self.timer.cancel()


def _open(parts, port: int, address: str, deadline: _Deadline) -> http.client.HTTPConnection:
    """A connection to ``address`` (the one checked), speaking to ``parts.hostname`` (its Host, its TLS name)."""
    sock = socket.create_connection((address, port), timeout=deadline.left())
    deadline.watch(sock)
    if parts.scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
        deadline.watch(sock)
    connection = (http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection)(
        parts.hostname, port, timeout=deadline.left()
    )
    connection.sock = sock
    return connection


def fetch_url(url: str) -> Source:
    """An http(s) page, with one deadline for everything (``ARTICLE_IMPORT_TIMEOUT``), a size cap, a polite user
    agent, at most ``MAX_REDIRECTS`` redirects (each to an address checked like the first), and no proxy."""
    timeout = settings.ARTICLE_IMPORT_TIMEOUT
    agent = getattr(settings, "ARTICLE_IMPORT_USER_AGENT", "") or (
        f"Apothecary article importer ({getattr(settings, 'VERIFICATION_USER_AGENT', 'Apothecary')})"
    )
    deadline = _Deadline(timeout)
    connection = None
    try:
        for _ in range(MAX_REDIRECTS + 1):
            parts, port, address = check_address(url)
            connection = _open(parts, port, address, deadline)
            target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
            connection.request("GET", target, headers={"User-Agent": agent, "Accept": "text/html, text/plain;q=0.9"})
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                connection.close()
                url = urllib.parse.urljoin(url, location)
                continue
            if response.status >= 400:
                raise ImportFailed(f"“{url}” answered {response.status} {response.reason}.")
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes():
                raise ImportFailed(f"“{url}” is larger than {max_bytes() // 1_000_000} MB.")
            data = bytearray()
            while len(data) <= max_bytes():
                deadline.sock.settimeout(deadline.left())
                chunk = response.read1(65536)
                if not chunk:
                    break
                data += chunk
            deadline.left()  # a body ended by the deadline's shutdown is not a whole page
            content_type = response.headers.get_content_type() if response.getheader("Content-Type") else ""
            charset = response.headers.get_content_charset() or ""
            break
        else:
            raise ImportFailed(f"“{url}” redirected more than {MAX_REDIRECTS} times.")
    except ImportFailed:
        raise
    except TimeoutError as error:
        raise ImportFailed(f"“{url}” did not answer within {timeout:g} seconds.") from error
    except OSError as error:
        if time.monotonic() >= deadline.ends:  # the deadline shut the socket down
            raise ImportFailed(f"“{url}” did not answer within {timeout:g} seconds.") from error
        raise ImportFailed(f"“{url}” could not be reached ({error.strerror or error}).") from error
    except (http.client.HTTPException, ValueError) as error:
        if time.monotonic() >= deadline.ends:
            raise ImportFailed(f"“{url}” did not answer within {timeout:g} seconds.") from error
        raise ImportFailed(f"“{url}” could not be read ({error}).") from error
    finally:
        deadline.cancel()
        if connection is not None:
            connection.close()
    if len(data) > max_bytes():
        raise ImportFailed(f"“{url}” is larger than {max_bytes() // 1_000_000} MB.")
    return Source(bytes(data), url, content_type, charset)


def load(path_or_url: str) -> Source:
    """A file or an http(s) address."""
    text = (path_or_url or "").strip()
    if not text:
        raise ImportFailed("Give a file or an http(s) address to import.")
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return fetch_url(text)
    return load_path(text)


HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown"}
LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|p|div|h[1-6]|article|ul|ol|table)\b", re.IGNORECASE)


def decode(source: Source) -> tuple[str, bool]:
    """The source's text and whether it is HTML; binary, empty or unsupported sources are refused."""
    if source.content_type and source.content_type not in HTML_TYPES | TEXT_TYPES:
        raise ImportFailed(f"“{source.origin}” is {source.content_type}, not an HTML page or plain text.")
    head = source.data[:8192]
    if b"\x00" in head or sum(byte < 9 or 13 < byte < 32 for byte in head) > len(head) * 0.05:
        raise ImportFailed(f"“{source.origin}” is a binary file, not HTML or plain text.")
    text = None
    for charset in filter(None, (source.charset, "utf-8-sig", "cp1252")):
        try:
            text = source.data.decode(charset)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        raise ImportFailed(f"“{source.origin}” is not readable text (unknown encoding).")
    if not text.strip():
        raise ImportFailed(f"“{source.origin}” is empty.")
    if source.content_type:
        is_html = source.content_type in HTML_TYPES
    elif source.origin.lower().endswith((".html", ".htm", ".xhtml")):
        is_html = True
    elif source.origin.lower().endswith((".txt", ".text", ".md")):
        is_html = False
    else:
        is_html = bool(LOOKS_LIKE_HTML.search(text[:4096]))
    return text, is_html


# ---------------------------------------------------------------------------
# 2a. HTML: sanitised with nh3, then read with html.parser

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


def _squash(text: str) -> str:
    return " ".join(text.split())


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
        return _squash("".join(self.text))

    @property
    def markup(self) -> str:
        return _squash("".join(self.html))


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
                attribution = _squash(" ".join(capture.cite)) or (capture.links[0] if capture.links else "")
                text = capture.plain
                if attribution and text.endswith(attribution):
                    text = re.sub(r"\s*[–—-]*\s*$", "", text[: -len(attribution)])
                if text:
                    self._emit(Block("quote", text=_unquote(text), attribution=attribution))
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
    parser = ArticleHTMLParser()
    parser.feed(sanitise(markup))
    parser.close()
    title = parser.h1 or re.split(r"\s+[–—|]\s+", _squash(parser.page_title))[0]
    document = Document(title=title, blocks=parser.blocks)
    if parser.outside:
        document.notes.append(
            f"Left out {len(parser.outside)} block{'s' if len(parser.outside) != 1 else ''} outside the post's "
            "<article> (the site's header, menus, sidebar, comments)."
        )
    return recognise(document)


# ---------------------------------------------------------------------------
# 2b. Plain text (the heuristics are in the module's docstring)

BULLET = re.compile(r"^[•\-*–·▪‣]\s+")
NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")
QUOTE_LINE = re.compile(r"^[“\"„«](?P<quote>.+?)[”\"“»]\s*[–—-]{1,2}\s*(?P<source>\S.{0,200})$")
CONNECTORS = {"of", "and", "the", "in", "for", "&", "or", "to", "a", "an", "with", "on", "at", "by", "per", "vs", "vs."}
NUMBER_CELL = re.compile(r"^[<>≤≥~]?\d[\d,.]*\s*%?(?:[–-]\d[\d,.]*%?)?$")
NUMERIC_COLUMN = re.compile(r"\b(?:number|count|percentage|percent|rate|n|participants|patients|subjects)\b|%", re.I)
MARKER_END = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\][.,;]?$")
HEADING_MAX = 100


LEAD_IN = re.compile(r"\b(?:include|includes|including|following|follows|such as|are|is|to)\s*:$", re.I)


def _is_heading(line: str) -> bool:
    """A short line without final punctuation; a line ending with ":" is a heading unless it is a sentence leading
    into a list ("Common side effects include:", or more than 8 words)."""
    if line.endswith(":") and (LEAD_IN.search(line) or len(line.split()) > 8):
        return False
    return (
        len(line) <= HEADING_MAX
        and len(line.split()) <= 16
        and not line.endswith((".", ",", ";", "!"))
        and not BULLET.match(line)
        and bool(re.match(r"\w", line))
    )


def _is_title_case(line: str) -> bool:
    words = line.split()
    return len(words) >= 2 and all(word[0].isupper() or word[0].isdigit() or word in CONNECTORS for word in words)


def _header_groups(line: str) -> list[str]:
    groups: list[list[str]] = []
    previous = ""
    for word in line.split():
        if groups and (not word[0].isupper() or previous.lower() in CONNECTORS):
            groups[-1].append(word)
        else:
            groups.append([word])
        previous = word
    return [" ".join(group) for group in groups]


def _header_candidates(groups: list[str]):
    """The header's columns as split, then with adjacent groups merged, fewer columns each time."""
    for count in range(len(groups), 1, -1):
        for cuts in reversed(list(itertools.combinations(range(1, len(groups)), count - 1))):
            bounds = (0, *cuts, len(groups))
            yield [" ".join(groups[start:end]) for start, end in itertools.pairwise(bounds)]


def _lowercase(word: str) -> bool:
    return word[:1].isalpha() and word[:1].islower()


def _starts_sentence(tokens: list[str], index: int) -> bool:
    """A capitalised word followed by lowercase prose ("Baclofen reduces", "Patients with multiple"), not by a name
    ("Journal of Neurology")."""
    following = tokens[index + 1 : index + 3]
    if not tokens[index][:1].isupper() or not following or not _lowercase(following[0]):
        return False
    return following[0].lower() not in CONNECTORS or (len(following) == 2 and _lowercase(following[1]))


def _cell_end(tokens: list[str], start: int, next_is_number: bool) -> int | None:
    for index in range(start + 1, len(tokens)):
        if next_is_number:
            if NUMBER_CELL.match(tokens[index]):
                return index
            continue
        if MARKER_END.search(tokens[index - 1]) or tokens[index][:1] in '“"' or _starts_sentence(tokens, index):
            return index
    return None


def split_row(line: str, columns: list[str]) -> list[str]:
    """A table row cut into ``len(columns)`` cells (empty cells where it could not be cut)."""
    tokens = line.split()
    cells: list[str] = []
    position = 0
    for index, column in enumerate(columns[:-1]):
        if position >= len(tokens):
            cells.append("")
        elif NUMERIC_COLUMN.search(column):
            if NUMBER_CELL.match(tokens[position]):
                cells.append(tokens[position])
                position += 1
            else:
                cells.append("")
        else:
            end = _cell_end(tokens, position, bool(NUMERIC_COLUMN.search(columns[index + 1])))
            if end is None:
                cells.append("")
            else:
                cells.append(" ".join(tokens[position:end]))
                position = end
    cells.append(" ".join(tokens[position:]))
    return cells


def parse_table(lines: list[str]) -> Block | None:
    """A table from consecutive lines (caption?, header, rows), or None when they do not read as one."""
    caption = ""
    if len(lines) >= 3 and ": " in lines[0] and _is_title_case(lines[1]):
        caption, lines = lines[0], lines[1:]
    if len(lines) < 2 or len(lines[0]) > 80 or not _is_title_case(lines[0]):
        return None
    groups = _header_groups(lines[0])
    if len(groups) < 2:
        return None
    for columns in _header_candidates(groups):
        rows = [split_row(line, columns) for line in lines[1:]]
        if all(all(cells) for cells in rows):
            return Block("table", text=caption, rows=[columns, *rows])
    return None


def _unquote(text: str) -> str:
    return text.strip().strip('“”"„«»').strip()


def _list_block(lines: list[str]) -> list[Block]:
    """A chunk with bullets or numbers: its lead-in lines (if any) as a paragraph, then the list."""
    blocks: list[Block] = []
    lead: list[str] = []
    items: list[str] = []
    ordered = None
    for line in lines:
        marker = BULLET.match(line) or NUMBERED.match(line)
        if marker:
            if ordered is None:
                ordered = bool(NUMBERED.match(line))
            items.append(line[marker.end() :].strip())
        elif items:
            items[-1] += " " + line
        else:
            lead.append(line)
    if lead:
        blocks.append(_paragraph(" ".join(lead)))
    blocks.append(Block("list", items=[html.escape(item, quote=False) for item in items], ordered=bool(ordered)))
    blocks[-1].text = "\n".join(items)
    return blocks


def _paragraph(text: str) -> Block:
    match = QUOTE_LINE.match(text)
    if match:
        return Block("quote", text=match.group("quote").strip(), attribution=match.group("source").strip())
    return Block("paragraph", text=text, html=html.escape(text, quote=False))


@dataclass
class _TextState:
    numbered_seen: bool = False
    in_references: bool = False


def _heading(line: str, state: _TextState) -> Block:
    if NUMBERED.match(line):
        state.numbered_seen = True
        level = 2
    elif state.numbered_seen or line.endswith(":"):
        level = 3
    else:
        level = 2
    return Block("heading", text=line.rstrip(":").strip(), level=level)


def _chunk_blocks(lines: list[str], state: _TextState) -> list[Block]:
    if any(BULLET.match(line) or NUMBERED.match(line) for line in lines) and not (
        len(lines) == 1 and NUMBERED.match(lines[0]) and _is_heading(lines[0]) and not state.in_references
    ):
        return _list_block(lines)
    if len(lines) == 1:
        line = lines[0]
        if not QUOTE_LINE.match(line) and _is_heading(line):
            return [_heading(line, state)]
        return [_paragraph(line)]
    table = parse_table(lines)
    return [table] if table else [_paragraph(" ".join(lines))]


def parse_text(text: str) -> Document:
    """The article in plain text (see the module's docstring for how blocks are told apart)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = _squash(line.replace("\t", " "))
        if line and not STANDS_ALONE.match(line):
            current.append(line)
            continue
        if current:
            chunks.append(current)
            current = []
        if line:  # "See also …", "Tags: …", "Price: …": never part of a paragraph or table
            chunks.append([line])
    if current:
        chunks.append(current)
    document = Document()
    if chunks and len(chunks[0]) == 1 and not BULLET.match(chunks[0][0]):
        document.title = chunks.pop(0)[0]
    state = _TextState()
    for chunk in chunks:
        for block in _chunk_blocks(chunk, state):
            document.blocks.append(block)
            if block.kind == "heading":
                state.in_references = bool(REFERENCES_HEADING.match(block.text))
            elif block.kind != "list":
                state.in_references = False
    return recognise(document)


# ---------------------------------------------------------------------------
# 2c. What both formats need: product boxes, comment form, category/tags/see also, references, quotes

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
            block = _paragraph(block.text)
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
    document.notes.append(
        f"Skipped a product box {label}({'; '.join(lines)}): prices and strengths come from the catalogue."
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


def parse(text: str, is_html: bool) -> Document:
    return parse_html(text) if is_html else parse_text(text)


# ---------------------------------------------------------------------------
# References: one citation's text as fields

DOI_IN_TEXT = re.compile(
    r"(?:\bdoi\s*:?\s*|https?://(?:dx\.)?doi\.org/)(?P<doi>10\.\d{4,9}/[^\s\"<>]+)|(?P<bare>\b10\.\d{4,9}/[^\s\"<>]+)",
    re.I,
)
PMID_IN_TEXT = re.compile(r"\bPMID\s*:?\s*(?P<pmid>\d{1,9})\b", re.I)
URL_IN_TEXT = re.compile(r"(?:(?:retrieved|available)\s+(?:from|at)\s*:?\s*)?(?P<url>https?://[^\s<>\"]+)", re.I)
APA = re.compile(r"^(?P<authors>.+?)\.?\s*\((?P<date>[^()]*)\)\.?\s*(?P<rest>.*)$")
VANCOUVER = re.compile(
    r"^(?P<authors>[^.]+)\.\s+(?P<title>.+?[.?!])\s+(?P<container>[^.;]+?)\.?\s+(?P<year>(?:1[89]|20)\d\d)"
    r"(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*(?:;\s*(?P<volume>[^:;.]+))?(?::\s*(?P<pages>[\w–-]+))?\.?$"
)
SOURCE_DETAILS = re.compile(
    r"^(?P<container>.+?)(?:,\s*(?P<volume>\d+\s*(?:\([^)]*\))?))?(?:,\s*(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+"
    r"(?:\s*[–-]\s*[A-Za-z]?\d+)?))?\.?$"
)
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
INITIALS = re.compile(r"^(?:[A-Z]\.?\s*-?\s*)+$")
LABEL_WORDS = re.compile(
    r"prescribing information|package insert|product label|summary of product characteristics", re.I
)


@dataclass
class ParsedReference:
    """A citation's fields as read from its text (``raw``); ``truncated`` when the text stops mid-way."""

    raw: str
    authors: str = ""
    title: str = ""
    container: str = ""
    year: int | None = None
    volume: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    kind: str = ReferenceKind.JOURNAL_ARTICLE
    truncated: bool = False


def vancouver_authors(authors: str) -> str:
    """APA's "Prosperini, L., Leonardi, L., & Tintore, M." as Vancouver's "Prosperini L, Leonardi L, Tintore M";
    anything else as written, without the final full stop."""
    text = authors.strip().rstrip(".").strip()
    parts = [part.strip() for part in re.sub(r",?\s*(?:&|\band\b)\s*", ", ", text).split(",") if part.strip()]
    if len(parts) >= 2 and len(parts) % 2 == 0 and all(INITIALS.match(part) for part in parts[1::2]):
        pairs = zip(parts[::2], parts[1::2], strict=True)
        return ", ".join(f"{family} {re.sub(r'[^A-Z]', '', given)}" for family, given in pairs)
    return re.sub(r"\bet al$", "et al.", text)


def _is_cut_short(text: str) -> bool:
    stripped = text.rstrip()
    return (
        stripped.endswith(("(", "[", ",", ":", "–", "-", "&"))
        or stripped.count("(") > stripped.count(")")
        or stripped.count("[") > stripped.count("]")
    )


def parse_reference(text: str) -> ParsedReference:
    """A citation's authors, title, year, journal, volume and pages, DOI, PMID and URL, read from APA-like
    ("Smith AB. (2018). Title. Journal, 86(6), 590-596. DOI: …") or Vancouver ("Chou R, Peterson K. Title.
    J Pain Symptom Manage. 2004;28(2):140-75. doi:…") text. A citation cut short ("Sullivan CD, et al. (")
    keeps its whole text as the title, so the audit reports it as cut off."""
    raw = _squash(text)
    found = ParsedReference(raw=raw)
    rest = raw
    doi = DOI_IN_TEXT.search(rest)
    if doi:
        found.doi = normalise_doi((doi.group("doi") or doi.group("bare")).rstrip(".,;)]"))
        if not DOI_PATTERN.match(found.doi):
            found.doi = ""
        rest = (rest[: doi.start()] + rest[doi.end() :]).strip()
    pmid = PMID_IN_TEXT.search(rest)
    if pmid:
        found.pmid = pmid.group("pmid")
        rest = (rest[: pmid.start()] + rest[pmid.end() :]).strip()
    url = URL_IN_TEXT.search(rest)
    if url:
        found.url = url.group("url").rstrip(".,;)]")[:500]
        rest = (rest[: url.start()] + rest[url.end() :]).strip()
    rest = re.sub(r"[\s.,;]+$", "", rest)
    if _is_cut_short(raw if not (found.doi or found.url) else rest):
        found.truncated = True
        found.authors = vancouver_authors(re.split(r"\s*[(\[]", rest, maxsplit=1)[0])
        found.title = raw
        return _kind(found)
    apa = APA.match(rest)
    vancouver = VANCOUVER.match(rest + ".")
    if apa and (YEAR.search(apa.group("date")) or re.search(r"n\.\s*d", apa.group("date"), re.I)):
        found.authors = vancouver_authors(apa.group("authors"))
        year = YEAR.search(apa.group("date"))
        found.year = int(year.group(0)) if year else None
        parts = re.split(r"(?<=[.?!])\s+(?=[A-Z0-9“\"])", apa.group("rest"), maxsplit=1)
        found.title = parts[0].rstrip(".").strip()
        details = SOURCE_DETAILS.match(parts[1].strip().rstrip(".")) if len(parts) > 1 and parts[1].strip() else None
        if details:
            found.container = details.group("container").strip()
            found.volume = (details.group("volume") or "").replace(" ", "")
            found.pages = details.group("pages") or ""
    elif vancouver:
        found.authors = vancouver_authors(vancouver.group("authors"))
        found.title = vancouver.group("title").rstrip(".").strip()
        found.container = vancouver.group("container").strip()
        found.year = int(vancouver.group("year"))
        found.volume = (vancouver.group("volume") or "").strip()
        found.pages = vancouver.group("pages") or ""
    else:
        year = YEAR.search(rest)
        found.year = int(year.group(0)) if year else None
        sentences = [part.strip() for part in re.split(r"(?<=[.?!])\s+", rest) if part.strip()]
        if len(sentences) >= 2 and len(sentences[0]) <= 120:
            found.authors = vancouver_authors(sentences[0])
            found.title = sentences[1].rstrip(".")
            found.container = re.sub(YEAR, "", " ".join(sentences[2:])).strip(" .,;") if len(sentences) > 2 else ""
        else:
            found.title = rest
    found.title = found.title or raw
    return _kind(found)


def _kind(found: ParsedReference) -> ParsedReference:
    if LABEL_WORDS.search(found.raw):
        found.kind = ReferenceKind.LABEL
    elif found.url and not (found.doi or found.pmid or found.volume):
        found.kind = ReferenceKind.WEB_PAGE
    return found


def find_or_create_reference(parsed: ParsedReference) -> tuple[Reference, bool]:
    """The ``Reference`` for a citation, and whether it is new: one with the same DOI is reused (else the same
    URL, else the same authors, title and year), so importing twice creates no duplicates."""
    existing = None
    if parsed.doi:
        existing = Reference.objects.filter(doi__iexact=parsed.doi).order_by("pk").first()
    elif parsed.url:
        existing = Reference.objects.filter(url=parsed.url, doi="").order_by("pk").first()
    else:
        existing = (
            Reference.objects.filter(
                authors=parsed.authors[:500], title__iexact=parsed.title[:500], year=parsed.year, doi="", url=""
            )
            .order_by("pk")
            .first()
        )
    if existing is not None:
        return existing, False
    reference = Reference.objects.create(
        kind=parsed.kind,
        authors=parsed.authors[:500],
        title=parsed.title[:500],
        container=parsed.container[:255],
        year=parsed.year if parsed.year and 1500 <= parsed.year <= 2100 else None,
        volume=parsed.volume[:50],
        pages=parsed.pages[:50],
        doi=parsed.doi[:255],
        pmid=parsed.pmid,
        url=parsed.url,
    )
    return reference, True


# ---------------------------------------------------------------------------
# 3. The draft page


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
    from articles.models import ArticleIndexPage

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
    from articles.models import ArticlePage, ArticleReference, ArticleSeeAlsoLink

    if not any(block.kind != "references" for block in document.blocks):
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


# ---------------------------------------------------------------------------
# 4. All of it: read, parse, create, verify, audit

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
    from articles.models import ArticlePage

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

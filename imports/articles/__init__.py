"""Import a legacy article (a WordPress post, or the text of one) as a draft ``ArticlePage``.

One pipeline, used by ``manage.py import_article`` and by the admin's "Import an article" screen:

1. **Read** (``fetch``: ``load_path``, ``fetch_url``, ``decode``): a file or an http(s) address, capped in size
   and time; binary, empty or unreachable sources fail with ``ImportFailed`` and a sentence saying why.
2. **Parse** into a ``Document`` of ``Block``s (heading, paragraph, list, table, quote, references; ``document``):
   ``html.parse_html`` sanitises with nh3 first (scripts, styles, iframes, forms and event handlers never
   survive), then reads the structure with the standard library's ``html.parser``; ``text.parse_text`` reads
   plain text with the heuristics in its docstring. ``boilerplate.recognise`` then does what both need: legacy
   product boxes ("Price: … per pill", "Active Ingredient:", "Dosage:") are skipped, since prices come from the
   catalogue; the comment form ("Leave a Reply…") is dropped; "Category:", "Tags:" and "See also" lines are read;
   a "References" heading and the numbered list after it become the reference list; a line in quotes followed by
   "– Source" is a quote.
3. **Create** (``drafts.create_draft``), in one transaction: the references (``references.parse_reference``; an
   existing ``Reference`` for the same source, ``evidence.services.find_reference``, is reused), then the page
   under the article index, never published: not live, with one draft revision. The tags are set on the page
   (taggit keeps each once) and kept exactly as found in ``imported_tags`` for the audit.
4. **Verify** the new references against Crossref/PubMed (``pipeline``, with ``evidence.verification``; a failing
   service only leaves them "could not check") and **audit** the draft (``evidence.audit.audit_page``); ``report``
   writes it all out for the command line.
"""

from imports.articles.document import Block, Document, ImportFailed, max_bytes
from imports.articles.drafts import IMPORT_ACTION, ImportResult, article_index, body_blocks, create_draft
from imports.articles.fetch import Source, check_address, decode, fetch_url, load, load_path
from imports.articles.html import parse_html, sanitise
from imports.articles.pipeline import import_article, import_source, parse, verify_references
from imports.articles.references import ParsedReference, find_or_create_reference, parse_reference
from imports.articles.report import report, warnings
from imports.articles.text import parse_table, parse_text, split_row

__all__ = [
    "IMPORT_ACTION",
    "Block",
    "Document",
    "ImportFailed",
    "ImportResult",
    "ParsedReference",
    "Source",
    "article_index",
    "body_blocks",
    "check_address",
    "create_draft",
    "decode",
    "fetch_url",
    "find_or_create_reference",
    "import_article",
    "import_source",
    "load",
    "load_path",
    "max_bytes",
    "parse",
    "parse_html",
    "parse_reference",
    "parse_table",
    "parse_text",
    "report",
    "sanitise",
    "split_row",
    "verify_references",
    "warnings",
]

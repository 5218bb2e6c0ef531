"""Plain-text comment bodies: how they are shown, and how many links they hold.

A body is stored exactly as typed. On the way out it is escaped, its line
breaks become ``<p>`` and ``<br>``, and its web addresses become links that
search engines are told not to follow. Counting links uses the same linker, so
the link cap counts exactly what readers would see as links.
"""

from __future__ import annotations

import nh3
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"a", "br", "p"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_REL = "nofollow ugc"
URL_SCHEMES = {"http", "https"}  # no mailto: an address typed in a comment stays plain text
SHOWN_URL_LENGTH = 60


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def count_links(text: str) -> int:
    """How many links ``text`` would show once rendered."""
    return urlize(text, autoescape=True).count("<a ")


def render_body(text: str) -> SafeString:
    """``text`` as safe HTML: escaped, paragraphs and line breaks kept, addresses linked."""
    linked = urlize(normalise_newlines(text).strip(), trim_url_limit=SHOWN_URL_LENGTH, autoescape=True)
    html = linebreaks(linked, autoescape=False)  # already escaped by urlize
    return mark_safe(  # noqa: S308 - cleaned by nh3 to a, br and p just above
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            link_rel=LINK_REL,
            url_schemes=URL_SCHEMES,
        )
    )

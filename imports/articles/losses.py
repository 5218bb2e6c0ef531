"""What sanitising a page would lose, found before and after nh3 runs, so an import never loses text in silence.

nh3 parses as a browser does. An element dropped with its content (``html.DROPPED_WITH_CONTENT``) that is left
unclosed can take the rest of the page with it: after ``<math><mi>x``, every section, the tags and the reference
list are the formula's content, and go with it. ``cut_dropped_elements`` reads the page as its writer meant it
(an unclosed element ends where the element around it ends) and cuts those elements out first, with a note for
each formula or drawing that had text, and for each element that was left open. ``lost_words`` then
compares the page's text with what the sanitiser kept, for whatever else it dropped.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
# Dropped elements whose text a reader saw (not a script, a style, a form or a player's fallback): their loss is noted.
SHOWN_CONTENT = {"math", "svg"}


def excerpt(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@dataclass
class _Dropped:
    tag: str
    start: int
    depth: int
    text: list[str] = field(default_factory=list)


class _DroppedElements(HTMLParser):
    """Finds the elements to drop with their content in raw markup, and the page's text outside them."""

    def __init__(self, markup: str, dropped_tags: set[str]):
        super().__init__(convert_charrefs=True)
        self.markup = markup
        self.dropped_tags = dropped_tags - VOID
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", markup)]
        self.stack: list[str] = []
        self.open: _Dropped | None = None
        self.spans: list[tuple[int, int, _Dropped, bool]] = []  # (start, end, element, closed by its own end tag)
        self.text: list[str] = []  # the text outside the dropped elements

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def sink(self) -> list[str]:
        return self.text if self.open is None else self.open.text

    def handle_starttag(self, tag, attrs):
        self.sink().append(" ")  # a tag separates words, as in ``text_of``
        if self.open is None and tag in self.dropped_tags:
            self.open = _Dropped(tag, self.position(), len(self.stack))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        self.sink().append(" ")
        if tag not in self.stack:
            return  # a stray end tag
        index = len(self.stack) - 1 - self.stack[::-1].index(tag)
        if self.open is not None and index <= self.open.depth:
            if index == self.open.depth:  # its own end tag
                end = self.markup.find(">", self.position()) + 1 or len(self.markup)
                self.spans.append((self.open.start, end, self.open, True))
            else:  # the element around it ends, and so does it
                self.spans.append((self.open.start, self.position(), self.open, False))
            self.open = None
        del self.stack[index:]

    def handle_data(self, data):
        self.sink().append(data)

    def close(self):
        super().close()
        if self.open is not None:
            self.spans.append((self.open.start, len(self.markup), self.open, False))
            self.open = None


def cut_dropped_elements(markup: str, dropped_tags: set[str]) -> tuple[str, list[str], str]:
    """The markup without the elements of ``dropped_tags`` (each ending at its end tag or, left unclosed, where
    the element around it ends), notes saying what was dropped that a reader saw, and the text that remains."""
    parser = _DroppedElements(markup, dropped_tags)
    parser.feed(markup)
    parser.close()
    notes, kept, position = [], [], 0
    for start, end, element, closed in parser.spans:
        kept.append(markup[position:start])
        position = end
        content = excerpt("".join(element.text))
        if not closed:
            what = f" (“{content}”)" if content else ""
            notes.append(
                f"An unclosed <{element.tag}> element{what} was dropped up to the end of the element around it; "
                "the text after it is kept. Check that part of the draft against the source."
            )
        elif element.tag in SHOWN_CONTENT and content:
            notes.append(f"Dropped a <{element.tag}> element (“{content}”): write what it said as text if it matters.")
    kept.append(markup[position:])
    return "".join(kept), notes, "".join(parser.text)


def text_of(markup: str) -> str:
    """The text of sanitised markup, a space for each tag."""
    return html.unescape(re.sub(r"<[^>]*>", " ", markup))


def lost_words(before: str, after: str) -> list[str]:
    """The runs of words of ``before`` missing from ``after`` (each run as one string), in order."""
    old, new = before.split(), after.split()
    if sorted(old) == sorted(new):
        return []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [" ".join(old[i1:i2]) for op, i1, i2, _, _ in matcher.get_opcodes() if op in ("delete", "replace")]


def loss_note(runs: list[str]) -> str:
    """One note for the words the sanitiser dropped: how many, and where it started."""
    count = sum(len(run.split()) for run in runs)
    return (
        f"Sanitising the page dropped {count} word{'s' if count != 1 else ''} of its text, starting "
        f"“{excerpt(runs[0])}”: check the draft against the source."
    )

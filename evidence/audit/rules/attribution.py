"""Rules on attribution: a quote credited to nobody, a study named only by its journal."""

from __future__ import annotations

import re
from collections.abc import Iterator

from evidence.audit.content import PageContent
from evidence.audit.findings import ERROR, WARNING, Finding
from evidence.audit.runner import rule
from evidence.audit.text import excerpt


@rule("unsourced-quote", ERROR)
def unsourced_quote(content: PageContent) -> Iterator[Finding]:
    """A quote with no source: no reference chosen for it and no citation marker. A credit to a whole journal
    ("– Alcohol and Alcoholism") names no article, author or year, so it is not a source a reader can check."""
    listed = len(content.references)
    for unit in content.units:
        if unit.kind != "quote" or unit.reference is not None or any(1 <= n <= listed for n in unit.cites):
            continue
        attribution = " ".join((unit.extra.get("attribution") or "").split())
        credit = (
            f"it is credited only to “{attribution}”, which is not in the page's references"
            if attribution
            else "it is credited to nobody"
        )
        yield Finding(
            unsourced_quote.code,
            ERROR,
            unit.place,
            f"the quote “{excerpt(unit.text, 50)}” has no source: {credit}; choose the reference it comes from",
        )


TITLE_WORD = r"[A-Z][\w'’.-]*"
TITLE_JOIN = r"(?:,?\s+(?:(?:of|and|&|the|in|for|on)\s+)*)"
UNNAMED_STUDY = re.compile(
    r"\b(?i:a|an|another|one)\s+(?:(?:new|recent|large|small|clinical|published|similar)\s+)?"
    r"(?:study|trial|survey|review|paper|analysis)\s+(?:published\s+)?in\s+(?:the\s+)?(?:journal\s+)?[“\"‘']?"
    rf"(?P<journal>{TITLE_WORD}(?:{TITLE_JOIN}{TITLE_WORD})*)",
)


JOURNAL_WORDS = re.compile(r"\b(?:Journal|Lancet|BMJ|JAMA|Annals|Archives|Proceedings|Review)\b")


@rule("unnamed-study", WARNING)
def unnamed_study(content: PageContent) -> Iterator[Finding]:
    """Text that leans on "a study published in the Journal of …" (or "a trial in The Lancet") without saying which
    study and without a citation: the reader cannot find it, since a journal publishes thousands of papers."""
    listed = len(content.references)
    for unit in content.units:
        if unit.kind != "text" or unit.reference is not None or any(1 <= n <= listed for n in unit.cites):
            continue
        journals = [
            " ".join(match.group("journal").split())
            for match in UNNAMED_STUDY.finditer(unit.text)
            if "published" in match.group(0).lower() or JOURNAL_WORDS.search(match.group("journal"))
        ]
        if journals:
            named = ", ".join(f"“{journal}”" for journal in dict.fromkeys(journals))
            yield Finding(
                unnamed_study.code,
                WARNING,
                unit.place,
                f"cites a study only by its journal ({named}) and gives no reference: add the study to the references "
                "and cite it, or remove the claim",
            )

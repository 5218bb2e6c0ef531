"""Rules on repetition: a paragraph, a section or a tag given twice."""

from __future__ import annotations

import re
from collections.abc import Iterator

from evidence.audit.content import PageContent
from evidence.audit.findings import ERROR, WARNING, Finding
from evidence.audit.runner import rule
from evidence.audit.text import excerpt, normalise

DUPLICATE_MIN_LENGTH = 40


@rule("duplicated-text", WARNING)
def duplicated_text(content: PageContent) -> Iterator[Finding]:
    """The same paragraph (ignoring case, punctuation and spacing; 40 characters or more) appears twice. A summary
    that repeats the opening paragraph, as listings need, is not a repeat."""
    first_seen: dict[str, str] = {}
    for unit in content.units:
        if unit.kind not in ("text", "quote") or unit.place == "Summary":  # a summary repeats the opening by design
            continue
        key = normalise(unit.text)
        if len(key) < DUPLICATE_MIN_LENGTH:
            continue
        if key in first_seen:
            yield Finding(
                duplicated_text.code,
                WARNING,
                unit.place,
                f"repeats {first_seen[key]}: “{excerpt(unit.text)}”: delete one of them",
            )
        else:
            first_seen[key] = unit.place


SECTION_NUMBER = re.compile(r"^\s*(?:(?:part|section|chapter)\s+)?(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.):]\s+", re.I)
STOP_WORDS = {
    "the", "and", "for", "with", "from", "that", "this", "are", "was", "were", "has", "have", "had", "its", "can",
    "may", "not", "but", "you", "your", "who", "what", "when", "how", "why", "which", "into", "than", "also", "such",
    "any", "all", "some", "more", "most", "other", "these", "those", "them", "they", "their", "there", "been",
    "being", "will", "would", "should", "could", "about", "over", "under", "while", "like", "each", "only",
}  # fmt: skip
SIMILAR_HEADINGS = 0.6  # share of their words two headings have in common
SIMILAR_CONTENT = 0.25  # … and two sections' content, for headings that are the same or similar
SAME_CONTENT = 0.6  # … for sections whose headings differ


def _words(text: str) -> set[str]:
    return {word for word in normalise(text).split() if len(word) > 2 and word not in STOP_WORDS}


def _overlap(first: set[str], second: set[str]) -> float:
    return len(first & second) / len(first | second) if first and second else 0.0


def _sections(content: PageContent) -> list[tuple[str, str, set[str]]]:
    """The body's top-level sections as (place, heading, words of their content), in page order."""
    levels = [unit.extra.get("level", 2) for unit in content.units if unit.kind == "heading"]
    if not levels:
        return []
    top = min(levels)
    sections: list[tuple[str, str, set[str]]] = []
    for unit in content.units:
        if unit.kind == "heading" and unit.extra.get("level", 2) == top:
            sections.append((unit.place, unit.text, set()))
        elif sections and unit.kind in ("text", "table_row", "quote", "heading"):
            sections[-1][2].update(_words(unit.text))
    return sections


@rule("duplicated-section", WARNING)
def duplicated_section(content: PageContent) -> Iterator[Finding]:
    """A section of the body that repeats an earlier one, as spun or scraped pages do ("5. Potential Side Effects
    of Baclofen" … "6. Side Effects of Baclofen"). Sections are the parts under the body's top-level headings.
    Two repeat when their headings are the same once numbering ("5.", "II.") and case are set aside, or share 60%
    of their words, and the words of their content overlap by a quarter (shared words over all words); or when
    their contents overlap by 60%, whatever the headings. Short and common words ("the", "with") are not counted."""
    sections = _sections(content)
    for index, (place, heading, words) in enumerate(sections):
        if not words:
            continue
        key = normalise(SECTION_NUMBER.sub("", heading))
        for _earlier_place, earlier_heading, earlier_words in sections[:index]:
            if not earlier_words:
                continue
            content_overlap = _overlap(words, earlier_words)
            heading_overlap = _overlap(
                _words(SECTION_NUMBER.sub("", heading)), _words(SECTION_NUMBER.sub("", earlier_heading))
            )
            same_heading = key and key == normalise(SECTION_NUMBER.sub("", earlier_heading))
            if (
                (same_heading or heading_overlap >= SIMILAR_HEADINGS) and content_overlap >= SIMILAR_CONTENT
            ) or content_overlap >= SAME_CONTENT:
                yield Finding(
                    duplicated_section.code,
                    WARNING,
                    place,
                    f"repeats the section “{earlier_heading}”: "
                    f"{'the same heading' if same_heading else 'a similar heading'}, "
                    f"{round(content_overlap * 100)}% of the words of their content in common: merge them into one",
                )
                break


@rule("repeated-tag", ERROR)
def repeated_tag(content: PageContent) -> Iterator[Finding]:
    """A tag given twice, ignoring case ("Spasticity" and "spasticity")."""
    seen: dict[str, str] = {}
    reported = set()
    for tag in content.tags:
        key = " ".join(tag.casefold().split())
        if key in seen and key not in reported:
            reported.add(key)
            yield Finding(
                repeated_tag.code, ERROR, "Tags", f"“{tag}” repeats “{seen[key]}”: keep one (and clear imported tags)"
            )
        seen.setdefault(key, tag)

"""Text helpers: paragraphs, citation markers, figures, labels (also used by the pages to cut their rich text
into paragraphs)."""

from __future__ import annotations

import html
import re

BLOCK_TAGS = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|div|blockquote|br)\b[^>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]+>")


def paragraphs(text: str) -> list[str]:
    """Rich text or plain text as a list of plain-text paragraphs (blocks, list items, blank-line breaks)."""
    text = BLOCK_TAGS.sub("\n\n", text or "")
    text = html.unescape(ANY_TAG.sub("", text))
    parts = re.split(r"\n\s*\n|\n", text)
    return [" ".join(part.split()) for part in parts if part.strip()]


PART_TAGS = re.compile(r"<(/?)(p|h[1-6]|li|ul|ol|div|blockquote|br)\b[^>]*>", re.IGNORECASE)


def rich_text_parts(text: str) -> list[tuple[str, str]]:
    """Rich text as ("paragraph" or "list item", plain text) pairs, in order: a page's audit places each part."""
    parts: list[tuple[str, str]] = []
    kind = "paragraph"
    position = 0
    for match in [*PART_TAGS.finditer(text or ""), None]:
        chunk = (text or "")[position : match.start() if match else None]
        parts.extend((kind, part) for part in paragraphs(chunk))
        if match is None:
            break
        position = match.end()
        tag = match.group(2).lower()
        if tag != "br":
            kind = "list item" if tag == "li" and not match.group(1) else "paragraph"
    return parts


CITATION = re.compile(r"\[(\d+(?:\s*[,–-]\s*\d+)*)\]")


def citation_numbers(text: str) -> list[int]:
    """The numbers of inline citation markers: "[3]", "[1, 2]", "[2–4]"."""
    numbers: list[int] = []
    for match in CITATION.finditer(text or ""):
        for part in re.split(r"\s*,\s*", match.group(1)):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 50:
                numbers.extend(range(int(bounds[0]), int(bounds[1]) + 1))
            else:
                numbers.extend(int(bound) for bound in bounds)
    return numbers


SMALL_NUMBERS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
FIGURE = re.compile(
    r"\b\d[\d,]*(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b)"
    rf"|\b(?:\d[\d,]*|{SMALL_NUMBERS})\s+(?:in|out\s+of)\s+(?:\d[\d,]*|ten|a\s+hundred|a\s+thousand)\b"
    r"|\b\d[\d,]*(?:\.\d+)?\s*(?:-\s*)?(?:fold\b|times\b(?!\s+(?:a|per|each|every)\s+(?:day|week|month))"
    r"(?!\s+daily))"
    r"|\b\d[\d,]*\s+(?:patients|people|participants|subjects|adults|children|women|men|volunteers|trials|studies"
    r"|cases|deaths|users)\b",
    re.IGNORECASE,
)


def figures(text: str) -> list[str]:
    """The figures in ``text``, each with up to four following words for context ("13 times the maximum human dose")."""
    found = []
    for match in FIGURE.finditer(text or ""):
        tail = re.match(r"(?:\s+[^\s.;:,()\[\]]+){0,4}", text[match.end() :]).group(0)
        found.append((match.group(0) + tail).strip())
    return found


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (text or "").casefold()).split())


def reference_label(reference) -> str:
    """“Chou R 2004: A comparison of the efficacy…”: who, when and what, short enough for one line."""
    return f"{reference.short_label}: {excerpt(reference.title or '(no title)', 50)}"


def excerpt(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"

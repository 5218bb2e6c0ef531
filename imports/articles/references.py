"""One citation's text as fields (``parse_reference``), and the ``Reference`` it is (found, or made)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence.audit.rules.identifiers import DOI_LIKE
from evidence.models import Reference, ReferenceKind, normalise_doi
from evidence.services import find_reference
from imports.articles.document import squash

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
    raw = squash(text)
    found = ParsedReference(raw=raw)
    rest = raw
    doi = DOI_IN_TEXT.search(rest)
    if doi:
        found.doi = normalise_doi((doi.group("doi") or doi.group("bare")).rstrip(".,;)]"))
        rest = (rest[: doi.start()] + rest[doi.end() :]).strip()
    else:
        # One written wrong ("10,1177/…", "10.1177/") is kept as written: the audit reports it, and the reference's
        # form asks for it to be corrected; it is never looked up.
        malformed = DOI_LIKE.search(rest)
        if malformed:
            found.doi = normalise_doi(re.sub(r"^doi\s*:?\s*", "", malformed.group(0), flags=re.I)).rstrip(".;)]")
            rest = (rest[: malformed.start()] + rest[malformed.end() :]).strip()
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
    """The ``Reference`` for a citation, and whether it is new: the same source already listed
    (``evidence.services.find_reference``) is reused, so importing twice creates no duplicates."""
    existing = find_reference(
        doi=parsed.doi,
        pmid=parsed.pmid,
        url=parsed.url,
        title=parsed.title[:500],
        kind=parsed.kind,
        authors=parsed.authors[:500],
        year=parsed.year,
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

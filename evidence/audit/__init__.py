"""The content audit: named rules that read what a page exposes and say what a reader could not check.

``evidence`` never imports the page types it audits. A page type becomes auditable by defining
``audit_content(self) -> PageContent``: its text blocks, table rows, quotes and structured rows as
``AuditUnit``s, its numbered reference list, its tags, its review dates and its side effects' figures.
``audit_page(page)`` runs every rule in ``RULES`` over that and returns the findings, errors first.

A rule is a plain function registered with ``@rule(code, severity)``; its docstring says what it checks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from evidence.models import ReferenceKind, VerificationStatus


class Severity(StrEnum):
    ERROR = "ERROR"
    WARNING = "WARNING"

    @property
    def rank(self) -> int:
        return 0 if self is Severity.ERROR else 1


ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass
class AuditUnit:
    """One checkable piece of a page.

    ``kind`` is "text", "table_row", "quote", "heading", "reference", "tag", "structured_figure" or "meta";
    ``place`` says where a reader finds it ("Side effects, row 2 (Drowsiness)", "Body, “5. Uses”, paragraph 3");
    a "heading" unit (``extra["level"]``: 2 for a section, 3 for a sub-section) starts a section of the body, and
    the units after it, up to the next heading of its level, are that section's content;
    ``reference`` is the source the row or block cites through its own field, if any; ``cites`` the
    inline citation numbers found in its text ("[3]"), filled in from ``text`` when left empty;
    ``extra`` holds anything a rule may use, e.g. ``label`` (a study's or table row's name).
    """

    kind: str
    place: str
    text: str
    reference: object | None = None
    cites: list[int] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.cites:
            self.cites = citation_numbers(self.text)


@dataclass
class PageContent:
    """What a page exposes to the audit (``page.audit_content()``)."""

    title: str
    units: list[AuditUnit] = field(default_factory=list)
    references: list = field(default_factory=list)  # the numbered list, in order: [0] is "[1]"
    tags: list[str] = field(default_factory=list)  # as stored or imported: may repeat
    last_reviewed: date | None = None
    next_review_due: date | None = None
    review_required: bool = False  # a guide must name its next review
    side_effect_figures: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    place: str
    message: str


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity  # the most severe level the rule reports
    check: Callable[[PageContent], Iterable[Finding]]

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


RULES: list[Rule] = []


def rule(code: str, severity: Severity):
    """Registers a rule function in ``RULES``."""

    def register(check):
        RULES.append(Rule(code, severity, check))
        check.code = code
        check.severity = severity
        return check

    return register


def audit_content(content: PageContent) -> list[Finding]:
    findings = [finding for item in RULES for finding in item.check(content)]
    return sorted(findings, key=lambda finding: finding.severity.rank)  # stable: page order within a severity


def audit_page(page) -> list[Finding]:
    """The findings for one page, errors first; a page type without ``audit_content`` has none."""
    page = getattr(page, "specific", page)
    expose = getattr(page, "audit_content", None)
    if expose is None:
        return []
    return audit_content(expose())


# ---------------------------------------------------------------------------
# Text helpers (also used by the pages to cut their rich text into paragraphs)

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


def _listed_ids(content: PageContent) -> set:
    return {reference.pk for reference in content.references}


def _all_references(content: PageContent) -> list[tuple[str, object]]:
    """The listed references with their places, then any cited but not listed (each once)."""
    seen = set()
    found = []
    for number, reference in enumerate(content.references, start=1):
        if reference.pk not in seen:
            seen.add(reference.pk)
            found.append((f"References, [{number}] {reference_label(reference)}", reference))
    for unit in content.units:
        if unit.reference is not None and unit.reference.pk not in seen:
            seen.add(unit.reference.pk)
            found.append((f"{unit.place}, source {reference_label(unit.reference)}", unit.reference))
    return found


# ---------------------------------------------------------------------------
# The rules

FIGURE_KINDS = ("text", "table_row", "quote", "structured_figure")


@rule("uncited-figure", ERROR)
def uncited_figure(content: PageContent) -> Iterator[Finding]:
    """A percentage, a count ("175 patients", "13 times") or an "n in 10" in text, a quote or a table row that
    cites nothing: neither a source on the row or block itself nor an inline marker such as "[3]" that matches
    a number in the page's reference list."""
    listed = len(content.references)
    for unit in content.units:
        if unit.kind not in FIGURE_KINDS or unit.reference is not None:
            continue
        if any(1 <= number <= listed for number in unit.cites):
            continue
        found = list(dict.fromkeys(figures(unit.text)))
        if len(found) == 1:
            yield Finding(uncited_figure.code, ERROR, unit.place, f"“{found[0]}” has no citation")
        elif found:
            named = ", ".join(f"“{figure}”" for figure in found[:-1]) + f" and “{found[-1]}”"
            yield Finding(uncited_figure.code, ERROR, unit.place, f"{named} have no citation")


@rule("unlisted-source", ERROR)
def unlisted_source(content: PageContent) -> Iterator[Finding]:
    """A row, quote or table cites a source that is not in the page's reference list, or an inline marker
    ("[7]") points past the end of that list: the reader cannot find what backs the claim."""
    listed = _listed_ids(content)
    for unit in content.units:
        if unit.reference is not None and unit.reference.pk not in listed:
            yield Finding(
                unlisted_source.code,
                ERROR,
                unit.place,
                f"cites “{reference_label(unit.reference)}”, which is not in the page's references",
            )
        missing = sorted({number for number in unit.cites if not 1 <= number <= len(listed)})
        if missing:
            markers = ", ".join(f"[{number}]" for number in missing)
            yield Finding(
                unlisted_source.code,
                ERROR,
                unit.place,
                f"cites {markers} but the reference list has {len(listed)} entr{'y' if len(listed) == 1 else 'ies'}",
            )


PLACEHOLDER_AUTHORS = {
    "doe j",
    "doe",
    "john doe",
    "jane doe",
    "doe jane",
    "doe john",
    "smith ab",
    "author",
    "authors",
    "the author",
    "anonymous",
    "anon",
    "unknown",
    "admin",
    "et al",
}
PLACEHOLDER_SURNAMES = {"doe", "author", "anonymous", "anon"}
USERNAME_LIKE = re.compile(r"^(?=\S*(?:\d|_|@|[a-z][A-Z]))\S+$")


def author_problem(authors: str) -> str | None:
    """Why an author field looks made up, or None."""
    text = (authors or "").strip()
    if not text:
        return None
    if normalise(text) in PLACEHOLDER_AUTHORS:
        return f"the author “{text}” is a placeholder"
    for name in re.split(r"\s*[,;]\s*", text):
        name = name.strip().rstrip(".")
        if not name or normalise(name) == "et al":
            continue
        if normalise(name) in PLACEHOLDER_AUTHORS or normalise(name).split()[0] in PLACEHOLDER_SURNAMES:
            return f"the author “{name}” is a placeholder"
        if USERNAME_LIKE.match(name):
            return f"the author “{name}” looks like a user name, not a person's or organisation's name"
    return None


CUT_OFF_ENDINGS = ("(", "[", ",", "&", "…", "...")


@rule("incomplete-reference", ERROR)
def incomplete_reference(content: PageContent) -> Iterator[Finding]:
    """A reference a reader could not trust or find: a placeholder or user-name-like author ("Doe J",
    "Smith AB", "Anonymous", "SylviaandLinda"), no title, a title cut off (ending with "(", "[", ",", "&" or "…",
    or with a bracket left open: "Sullivan CD, et al. ("), a paper's or book's title shorter than 10 characters, or
    a journal article with no year."""
    for place, reference in _all_references(content):
        problems = []
        problem = author_problem(reference.authors)
        if problem:
            problems.append(problem)
        title = (reference.title or "").strip()
        scholarly = reference.kind in (ReferenceKind.JOURNAL_ARTICLE, ReferenceKind.BOOK)
        if not title:
            problems.append("it has no title")
        elif (
            title.endswith(CUT_OFF_ENDINGS)
            or title.count("(") > title.count(")")
            or title.count("[") > title.count("]")
        ):
            problems.append(f"its title “{title}” is cut off")
        elif scholarly and len(title) < 10:
            problems.append(f"its title “{title}” is too short to identify it")
        if reference.kind == ReferenceKind.JOURNAL_ARTICLE and not reference.year:
            problems.append("a journal article needs its year")
        if problems:
            yield Finding(incomplete_reference.code, ERROR, place, "; ".join(problems))


UNCONFIRMED_STATUSES = {VerificationStatus.NOT_CHECKED, VerificationStatus.COULD_NOT_CHECK}


@rule("failed-verification", ERROR)
def failed_verification(content: PageContent) -> Iterator[Finding]:
    """A cited source whose DOI or PMID check failed: an error when the record did not match, was not found or
    was retracted; a warning when it has not been checked yet or could not be checked."""
    for place, reference in _all_references(content):
        status = reference.verification_status
        notes = f" ({reference.verification_notes.strip()})" if reference.verification_notes.strip() else ""
        if status == VerificationStatus.RETRACTED:
            yield Finding(failed_verification.code, ERROR, place, f"the source has been retracted{notes}")
        elif status == VerificationStatus.MISMATCH:
            yield Finding(failed_verification.code, ERROR, place, f"the record does not match the source{notes}")
        elif status == VerificationStatus.NOT_FOUND:
            yield Finding(failed_verification.code, ERROR, place, f"no record of the source was found{notes}")
        elif status in UNCONFIRMED_STATUSES:
            if not (reference.doi or reference.pmid):
                message = "has no DOI or PMID to check automatically: check it by hand"
            elif status == VerificationStatus.COULD_NOT_CHECK:
                message = f"could not be checked{notes}: run `manage.py verify_references`"
            else:
                message = "has not been checked yet: run `manage.py verify_references`"
            yield Finding(failed_verification.code, WARNING, place, message)


ANONYMOUS_STUDY = re.compile(
    r"^(?:(?:a|an|the|unnamed|unknown|one|another)\s+)?(?:study|trial|test|paper|research|survey|review)"
    r"(?:\s*(?:no\.?|#)?\s*(?:\d+|[a-z]|[ivx]+))?\.?$",
    re.IGNORECASE,
)


@rule("anonymous-study", ERROR)
def anonymous_study(content: PageContent) -> Iterator[Finding]:
    """A study or a table row named only like "Study 1" or "Trial B": nobody can look it up."""
    for unit in content.units:
        label = (unit.extra.get("label") or "").strip()
        if unit.kind in ("table_row", "structured_figure") and label and ANONYMOUS_STUDY.match(label):
            yield Finding(anonymous_study.code, ERROR, unit.place, f"“{label}” does not say which study it is")


DUPLICATE_MIN_LENGTH = 40


@rule("duplicated-text", WARNING)
def duplicated_text(content: PageContent) -> Iterator[Finding]:
    """The same paragraph (ignoring case, punctuation and spacing; 40 characters or more) appears twice."""
    first_seen: dict[str, str] = {}
    for unit in content.units:
        if unit.kind not in ("text", "quote"):
            continue
        key = normalise(unit.text)
        if len(key) < DUPLICATE_MIN_LENGTH:
            continue
        if key in first_seen:
            yield Finding(
                duplicated_text.code,
                WARNING,
                unit.place,
                f"repeats {first_seen[key]}: “{excerpt(unit.text)}”",
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
                    f"{round(content_overlap * 100)}% of the words of their content in common",
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
            yield Finding(repeated_tag.code, ERROR, "Tags", f"“{tag}” repeats “{seen[key]}”")
        seen.setdefault(key, tag)


PERCENT_IN_TEXT = re.compile(
    r"(?P<low>\d+(?:\.\d+)?)(?:\s*%?\s*(?:–|-|to)\s*(?P<high>\d+(?:\.\d+)?))?\s*(?:%|percent\b|per\s+cent\b)"
    r"(?P<placebo>\s+(?:on|with|for|taking|in\s+the)?\s*placebo)?",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")


def _effect_names(name: str) -> list[str]:
    """ "Hypotension (low blood pressure)" is found by "hypotension" or "low blood pressure"."""
    names = [re.sub(r"\s*\(.*?\)\s*", " ", name).strip(), *re.findall(r"\((.*?)\)", name)]
    return [item.casefold() for item in names if len(item) >= 3]


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


@rule("contradicting-percentage", ERROR)
def contradicting_percentage(content: PageContent) -> Iterator[Finding]:
    """A percentage in the text, in the same sentence as a side effect's name (the last name before it, or else
    the first after it, when there are several), that lies outside the range the guide's side-effect table gives
    for that effect. Figures said to be on placebo are left alone."""
    effects = []
    for name, low, high in content.side_effect_figures:
        if low is None and high is None:
            continue
        low_bound = low if low is not None else Decimal("0")
        high_bound = high if high is not None else low
        effects.append((name, _effect_names(name), low_bound, high_bound))
    if not effects:
        return
    for unit in content.units:
        if unit.kind != "text":
            continue
        for sentence in SENTENCE_END.split(unit.text):
            folded = sentence.casefold()
            mentions = []
            for name, names, low, high in effects:
                for alias in names:
                    for match in re.finditer(rf"\b{re.escape(alias)}\b", folded):
                        mentions.append((match.start(), match.end(), name, low, high))
            if not mentions:
                continue
            for match in PERCENT_IN_TEXT.finditer(sentence):
                if match.group("placebo"):
                    continue
                before = [mention for mention in mentions if mention[1] <= match.start()]
                if before:  # "Drowsiness (up to 60%)": the last name before the figure
                    nearest = max(before, key=lambda mention: mention[1])
                else:  # "60% had drowsiness": the first name after it
                    nearest = min(mentions, key=lambda mention: mention[0])
                _, _, name, low, high = nearest
                values = [_decimal(match.group("low")), _decimal(match.group("high") or match.group("low"))]
                if any(value is not None and not low <= value <= high for value in values):
                    given = f"{low.normalize():f}–{high.normalize():f}%" if low != high else f"{low.normalize():f}%"
                    yield Finding(
                        contradicting_percentage.code,
                        ERROR,
                        unit.place,
                        f"“{match.group(0).strip()}” for {name} contradicts the side-effect table ({given})",
                    )


@rule("review-overdue", WARNING)
def review_overdue(content: PageContent) -> Iterator[Finding]:
    """The next review date has passed, or a page that must be reviewed (a guide) names no next review."""
    if content.next_review_due is None:
        if content.review_required:
            yield Finding(review_overdue.code, WARNING, "Medical review", "no next review date is set")
    elif content.next_review_due < date.today():
        yield Finding(
            review_overdue.code,
            WARNING,
            "Medical review",
            f"the review was due on {content.next_review_due:%d %b %Y}",
        )


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
                f"cites a study only by its journal ({named}) and gives no reference",
            )

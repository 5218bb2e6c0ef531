"""Rules on the references themselves: complete, verified, and naming a findable study."""

from __future__ import annotations

import re
from collections.abc import Iterator

from evidence.audit.content import PageContent
from evidence.audit.findings import ERROR, WARNING, Finding
from evidence.audit.runner import rule
from evidence.audit.text import normalise, reference_label
from evidence.models import ReferenceKind, VerificationStatus


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
SAVE_TO_CHECK = "open it under References in the admin and save it to check it again"


@rule("failed-verification", ERROR)
def failed_verification(content: PageContent) -> Iterator[Finding]:
    """A cited source whose DOI or PMID check failed: an error when the record did not match, was not found or
    was retracted; a warning when it has not been checked yet or could not be checked, and for a paper or book
    with neither a DOI nor a PMID (a label, guideline or web page is checked by its link, by hand)."""
    for place, reference in _all_references(content):
        status = reference.verification_status
        notes = f" ({reference.verification_notes.strip()})" if reference.verification_notes.strip() else ""
        if status == VerificationStatus.RETRACTED:
            yield Finding(
                failed_verification.code,
                ERROR,
                place,
                f"the source has been retracted{notes}: remove it and what it supports, or cite the retraction",
            )
        elif status == VerificationStatus.MISMATCH:
            yield Finding(
                failed_verification.code,
                ERROR,
                place,
                f"the record does not match the source{notes}: correct the reference under References (or its DOI "
                "or PMID if it names another paper)",
            )
        elif status == VerificationStatus.NOT_FOUND:
            yield Finding(
                failed_verification.code,
                ERROR,
                place,
                f"no record of the source was found{notes}: correct its DOI or PMID under References, or replace it",
            )
        elif status in UNCONFIRMED_STATUSES:
            if not (reference.doi or reference.pmid):
                if reference.kind not in (ReferenceKind.JOURNAL_ARTICLE, ReferenceKind.BOOK):
                    continue
                message = (
                    "has no DOI or PMID to check it against its source: add one under References, or check it by hand"
                )
            elif status == VerificationStatus.COULD_NOT_CHECK:
                message = f"could not be checked{notes}: {SAVE_TO_CHECK}"
            else:
                message = f"has not been checked against its source yet: {SAVE_TO_CHECK}"
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

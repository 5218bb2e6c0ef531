"""Rules on the references themselves: complete, verified, and naming a findable study."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from evidence.audit.content import PageContent
from evidence.audit.findings import ERROR, WARNING, Finding
from evidence.audit.runner import rule
from evidence.audit.text import excerpt, normalise, reference_label
from evidence.models import ReferenceKind, VerificationStatus
from evidence.verification import well_formed_doi


def all_references(content: PageContent) -> list[tuple[str, object]]:
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
    "administrator",
    "editor",
    "the editors",
    "staff",
    "staff writer",
    "guest",
    "user",
    "test",
    "webmaster",
    "placeholder",
    "name",
    "your name",
    "tbd",
    "n a",
    "et al",
}
# Families whose every member is a placeholder ("Doe J", "Jane Doe", "Bloggs J", "Mustermann M"), and names that are
# placeholders only whole ("Foo Bar", "Lorem Ipsum", "Test User", "A N Other").
PLACEHOLDER_SURNAMES = {"doe", "bloggs", "mustermann", "musterfrau", "ipsum", "author", "anonymous", "anon", "nobody"}
# (given name, family name) of placeholders that are placeholders only whole: "Foo Bar" or, Vancouver, "Bar F".
PLACEHOLDER_NAMES = {("foo", "bar"), ("lorem", "ipsum"), ("test", "user"), ("a n", "other")}
# A handle, not a name: a digit, "_", "@" or a capital inside a word ("jdoe42", "@pharmaguy", "SylviaandLinda"), or
# one run-together lower-case word ("pharmacyblogger").
USERNAME_LIKE = re.compile(r"^(?:(?=\S*(?:\d|_|@|[a-z][A-Z]))\S+|[a-z]{4,})$")


def _placeholder(name: str) -> bool:
    words = normalise(name).split()
    if not words:
        return False
    if " ".join(words) in PLACEHOLDER_AUTHORS or (len(words) <= 3 and PLACEHOLDER_SURNAMES & set(words)):
        return True
    given, family = " ".join(words[:-1]), words[-1]
    vancouver_family, initials = words[0], "".join(words[1:])
    return any(
        (given, family) == pair or (vancouver_family == pair[1] and initials == "".join(w[0] for w in pair[0].split()))
        for pair in PLACEHOLDER_NAMES
    )


def author_problem(authors: str) -> str | None:
    """Why an author field looks made up, or None: a placeholder name of the standard families ("Doe J", "Jane
    Doe", "Bloggs J", "Mustermann M", "Foo Bar", "Lorem Ipsum", "Test User", "Author", "Admin"), a user name, or
    "et al." standing alone, hiding every author."""
    text = (authors or "").strip()
    if not text:
        return None
    if normalise(text) == "et al":
        return "“et al.” is the only author: it stands for the others of an author list, so name the first author"
    if normalise(text) in PLACEHOLDER_AUTHORS:
        return f"the author “{text}” is a placeholder"
    for name in re.split(r"\s*[,;]\s*|\s+(?:and|&)\s+", text):
        name = name.strip().rstrip(".")
        if not name or normalise(name) == "et al":
            continue
        name = re.sub(r"\s+et al$", "", name)
        if _placeholder(name):
            return f"the author “{name}” is a placeholder"
        if USERNAME_LIKE.match(name):
            return f"the author “{name}” looks like a user name, not a person's or organisation's name"
    return None


CUT_OFF_ENDINGS = ("(", "[", ",", "&", "…", "...", ":", "-", "–", "—", "/")
# A title that stops on a word that cannot end one: "Efficacy of tizanidine in the".
DANGLING_WORD = re.compile(
    r"\b(?:a|an|the|of|and|or|in|on|for|with|to|by|from|at|as|versus|vs|into|than|between|among|after|before|during"
    r"|its|their|is|are|was|were)$",
    re.IGNORECASE,
)


@rule("incomplete-reference", ERROR)
def incomplete_reference(content: PageContent) -> Iterator[Finding]:
    """A reference a reader could not trust or find: a placeholder or user-name-like author (``author_problem``), no
    title, a title cut off (ending with "(", "[", ",", "&", ":", a dash or "…", with a bracket left open, or on a
    word no title ends with: "…in patients with"), a paper's or book's title shorter than 10 characters, a journal
    article with no journal or no year, or a year still to come."""
    this_year = date.today().year
    for place, reference in all_references(content):
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
            or (scholarly and DANGLING_WORD.search(title.rstrip(" .")) and not title.endswith("."))
        ):
            problems.append(f"its title “{excerpt(title, 80)}” is cut off")
        elif scholarly and len(title) < 10:
            problems.append(f"its title “{title}” is too short to identify it")
        if reference.kind == ReferenceKind.JOURNAL_ARTICLE:
            if not (reference.container or "").strip():
                problems.append("a journal article needs its journal")
            if not reference.year:
                problems.append("a journal article needs its year")
        if reference.year and reference.year > this_year:
            problems.append(f"its year {reference.year} is still to come")
        if problems:
            yield Finding(
                incomplete_reference.code,
                ERROR,
                place,
                "; ".join(problems) + ": complete it under References from the source itself",
            )


UNCONFIRMED_STATUSES = {VerificationStatus.NOT_CHECKED, VerificationStatus.COULD_NOT_CHECK}
SAVE_TO_CHECK = "open it under References in the admin and save it to check it again"


@rule("failed-verification", ERROR)
def failed_verification(content: PageContent) -> Iterator[Finding]:
    """A cited source whose DOI or PMID check failed: an error when the record did not match, was not found or
    was retracted; a warning when it has not been checked yet or could not be checked, and for a paper or book
    with neither a DOI nor a PMID (a label, guideline or web page is checked by its link, by hand)."""
    for place, reference in all_references(content):
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
            if reference.doi and not well_formed_doi(reference.doi) and not reference.pmid:
                continue  # "malformed-identifier" says what is wrong with it
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
            yield Finding(
                anonymous_study.code,
                ERROR,
                unit.place,
                f"“{label}” does not say which study it is: name it by its authors and year, and choose its source",
            )

"""Rules on identifiers: a DOI, PMID or ISSN written so that nobody can look it up."""

from __future__ import annotations

import re
from collections.abc import Iterator

from evidence.audit.content import PageContent
from evidence.audit.findings import ERROR, Finding
from evidence.audit.rules.references import all_references
from evidence.audit.runner import rule
from evidence.models import DOI_PATTERN, normalise_doi

# Anything that looks meant as a DOI: "10" and a registrant number, whatever joins them and whatever follows.
# (A comma or colon for the dot only counts with the "/" after it: "vol. 10, 2019" is not a DOI.)
DOI_LIKE = re.compile(
    r"(?:\bdoi\s*:?\s*|https?://(?:dx\.)?doi\.org/)?\b10(?:\.\d{4,9}(?:\s*/[^\s\"<>]*)?|\s*[,;:]\s*\d{4,9}\s*/[^\s\"<>]*)",
    re.IGNORECASE,
)
DOI_LABEL = re.compile(r"\bdoi\b\s*:?\s*(?P<value>\d\S*)", re.IGNORECASE)
PMID_LABEL = re.compile(r"\bPMID\b\s*:?\s*(?P<value>[^\s,;]*)", re.IGNORECASE)
ISSN = re.compile(r"\bISSN\s*:?\s*(?P<value>\d{4}-?\d{3}[\dXx])\b", re.IGNORECASE)


def doi_problem(text: str) -> str | None:
    """Why a DOI as written cannot be resolved ("10,1177/…", "10.1177/", "10.1177"), or None."""
    doi = normalise_doi(text).rstrip(".,;)]")
    if DOI_PATTERN.match(doi):
        return None
    separator = re.match(r"^10\s*([,;:])", doi)
    if separator:
        return f"the DOI “{doi}” has a “{separator.group(1)}” where a DOI has a dot (10.NNNN/…)"
    if re.match(r"^10\.\d{4,9}\s*/?\s*$", doi):
        return f"the DOI “{doi}” is only a prefix: the part after the “/” that names the work is missing"
    return f"“{doi}” is not a DOI (a DOI looks like 10.1177/1352458516643600)"


def pmid_problem(text: str) -> str | None:
    value = text.strip().rstrip(".")
    if value.isdigit() and 1 <= len(value) <= 9 and int(value) > 0:
        return None
    return f"the PMID “{value}” is not a PMID (a number, e.g. 27207462)"


def issn_problem(text: str) -> str | None:
    """The ISSN's check digit (its last character) against the other seven, or None when it agrees."""
    digits = text.replace("-", "").upper()
    total = sum(int(digit) * weight for digit, weight in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[7] == expected:
        return None
    return f"the ISSN “{text}” has the wrong check digit (it would end in {expected}): it is mistyped"


def identifier_problems(text: str) -> list[str]:
    """Every DOI, PMID or ISSN in free text that is written wrong."""
    problems = []
    for match in DOI_LIKE.finditer(text or ""):
        problem = doi_problem(match.group(0))
        if problem:
            problems.append(problem)
    for match in DOI_LABEL.finditer(text or ""):
        if match.group("value") and not DOI_LIKE.match(match.group("value")):
            problems.append(doi_problem(match.group("value")))
    for match in PMID_LABEL.finditer(text or ""):
        if match.group("value"):
            problems.append(pmid_problem(match.group("value")))
    for match in ISSN.finditer(text or ""):
        problems.append(issn_problem(match.group("value")))
    return [problem for problem in dict.fromkeys(problems) if problem]


@rule("malformed-identifier", ERROR)
def malformed_identifier(content: PageContent) -> Iterator[Finding]:
    """A DOI, PMID or ISSN no one can look up: a DOI with a comma for its dot, a prefix with no suffix, or outside
    the grammar "10.NNNN/suffix"; a PMID that is not a number; an ISSN whose check digit is wrong. Looked for in the
    references' identifiers and their other fields (where an unrecognised identifier ends up), and in the text."""
    for place, reference in all_references(content):
        problems = [doi_problem(reference.doi)] if reference.doi else []
        problems += [pmid_problem(reference.pmid)] if reference.pmid else []
        fields = (reference.title, reference.container, reference.volume, reference.pages, reference.authors)
        problems += identifier_problems(" ".join(field or "" for field in fields))
        problems = [problem for problem in dict.fromkeys(problems) if problem]
        if problems:
            yield Finding(
                malformed_identifier.code,
                ERROR,
                place,
                "; ".join(problems) + ": correct it under References from the paper itself",
            )
    for unit in content.units:
        if unit.kind in ("text", "quote", "table_row"):
            problems = identifier_problems(unit.text)
            if problems:
                yield Finding(malformed_identifier.code, ERROR, unit.place, "; ".join(problems) + ": correct it")

"""Rules on figures and citation markers: every figure cites a source the page lists."""

from __future__ import annotations

from collections.abc import Iterator

from evidence.audit.content import PageContent
from evidence.audit.findings import ERROR, Finding
from evidence.audit.runner import rule
from evidence.audit.text import figures, reference_label

FIGURE_KINDS = ("text", "table_row", "quote", "structured_figure")
CITE_IT = "add the marker of its source in the references (“[1]”), or choose the source of the row or block"


def _listed_ids(content: PageContent) -> set:
    return {reference.pk for reference in content.references}


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
            yield Finding(uncited_figure.code, ERROR, unit.place, f"“{found[0]}” has no citation: {CITE_IT}")
        elif found:
            named = ", ".join(f"“{figure}”" for figure in found[:-1]) + f" and “{found[-1]}”"
            yield Finding(uncited_figure.code, ERROR, unit.place, f"{named} have no citation: {CITE_IT}")


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
                f"cites “{reference_label(unit.reference)}”, which is not in the page's references: add it to them",
            )
        missing = sorted({number for number in unit.cites if not 1 <= number <= len(listed)})
        if missing:
            markers = ", ".join(f"[{number}]" for number in missing)
            yield Finding(
                unlisted_source.code,
                ERROR,
                unit.place,
                f"cites {markers} but the reference list has {len(listed)} entr{'y' if len(listed) == 1 else 'ies'}: "
                "add the missing references, or correct the markers",
            )

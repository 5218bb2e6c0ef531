"""What other apps ask of the evidence app: which ``Reference`` a source already is."""

from __future__ import annotations

from evidence.models import Reference, normalise_doi


def find_reference(*, doi: str = "", pmid: str = "", url: str = "", title: str = "", kind: str = "", **citation):
    """The existing ``Reference`` for a source, or None: "is this the same reference?", in one place.

    - With a DOI: the reference with that DOI (compared case-insensitively, resolver prefix ignored).
    - Else with a PMID: the reference with that PMID.
    - Else with a URL: among the references at that address that have no DOI, the one with the same title
      (case-insensitively); else the one reference of the same ``kind`` there with neither DOI nor PMID (a
      title corrected since, or a label whose title changes with each version).
    - Else by its citation: the same title (case-insensitively) and the same values of the other fields given in
      ``citation`` (``authors``, ``year``, ``container``…), with no DOI and no URL.

    The oldest reference is taken when several match.
    """
    references = Reference.objects.order_by("pk")
    if doi:
        return references.filter(doi__iexact=normalise_doi(doi)).first()
    if pmid:
        return references.filter(pmid=pmid).first()
    if url:
        at_address = references.filter(url=url, doi="")
        same = at_address.filter(title__iexact=title).first()
        if same is None and kind:
            candidates = list(at_address.filter(kind=kind, pmid="")[:2])
            same = candidates[0] if len(candidates) == 1 else None
        return same
    return references.filter(title__iexact=title, doi="", url="", **citation).first()

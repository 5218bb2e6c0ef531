"""Background jobs for the evidence: checking a reference against Crossref or PubMed.

Queued when a reference is saved with a new DOI or PMID, once the save commits (evidence/signals.py), and run by the
background worker (``TASKS_BACKEND``; in the tests, inside the request). The reference is already saved: a failure
here never loses it.
"""

from __future__ import annotations

from django_tasks import task

# What a queued check still has to settle; any other status was written by a check made after the job was queued.
UNSETTLED = ("not_checked", "could_not_check")


@task()
def verify_reference_task(reference_id: int) -> str:
    """Check reference ``reference_id``; returns its new verification status ("" if it was deleted meanwhile)."""
    from evidence.models import Reference
    from evidence.verification import verify_reference

    reference = Reference.objects.filter(pk=reference_id).first()
    if reference is None:
        return ""
    if reference.verification_status not in UNSETTLED:  # checked since it was queued (a changed DOI resets it)
        return str(reference.verification_status)
    return str(verify_reference(reference).status)

"""The guide's edit form."""

from __future__ import annotations

from evidence.forms import CitingPageForm


class MedicinePageForm(CitingPageForm):
    """A cited reference missing from the guide's References is added to them on save
    (``MedicinePage.list_cited_references``)."""

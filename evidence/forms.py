"""The edit form of a page with a reference list."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm


class CitingPageForm(WagtailAdminPageForm):
    """A reference the page cites (in a row, a cited text, a quote or a table) and that its reference list lacks is
    added to the list on save (the page's ``list_cited_references``): the editor chooses a source once."""

    def save(self, commit=True):
        page = super().save(commit=False)
        page.list_cited_references()
        if commit:  # as ClusterForm does: the page with its rows, then the plain many-to-many fields
            page.save()
            self.save_m2m()
        return page

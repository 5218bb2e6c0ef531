"""The guide's edit form: what needs the whole guide at once."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm


class MedicinePageForm(WagtailAdminPageForm):
    """A reference cited by a row or a cited text field (usual dose, key warning, missed dose, overdose, storage,
    age limit) and missing from the guide's References is added to them on save
    (``MedicinePage.list_cited_references``): the editor chooses a source once."""

    def save(self, commit=True):
        page = super().save(commit=False)
        page.list_cited_references()
        if commit:  # as ClusterForm does: the page with its rows, then the plain many-to-many fields
            page.save()
            self.save_m2m()
        return page

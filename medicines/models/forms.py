"""The guide's edit form: the checks that need the whole guide at once."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm


class MedicinePageForm(WagtailAdminPageForm):
    """Checks what needs the whole guide at once: every cited reference is listed, whether a row cites it or a
    cited text field (usual dose, key warning, missed dose, overdose, storage, age limit) does."""

    CITING_FORMSETS = (
        "indications",
        "side_effects",
        "interactions",
        "contraindications",
        "urgent_signs",
        "class_memberships",
        "off_label_uses",
        "studies",
    )
    CITING_FIELDS = (
        "usual_dose_reference",
        "key_warning_reference",
        "missed_dose_reference",
        "overdose_reference",
        "storage_reference",
        "age_limit_reference",
    )

    def clean(self):
        cleaned_data = super().clean()
        listed = set()
        formset = self.formsets.get("guide_references")
        if formset is not None:
            for form in formset.forms:
                if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE"):
                    if form.cleaned_data.get("reference"):
                        listed.add(form.cleaned_data["reference"].pk)
        missing = set()
        for name in self.CITING_FIELDS:
            reference = cleaned_data.get(name)
            if reference is not None and reference.pk not in listed:
                missing.add(str(reference))
        for name in self.CITING_FORMSETS:
            formset = self.formsets.get(name)
            if formset is None:
                continue
            for form in formset.forms:
                if not (form.is_valid() and form.cleaned_data) or form.cleaned_data.get("DELETE"):
                    continue
                reference = form.cleaned_data.get("reference")
                if reference is not None and reference.pk not in listed:
                    missing.add(str(reference))
        if missing:
            self.add_error(
                None,
                "These sources are cited in the guide but missing from its References: "
                + "; ".join(sorted(missing))
                + ". Add them under References.",
            )
        return cleaned_data

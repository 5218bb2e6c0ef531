"""Forms of the catalogue's admin screens: the product, the CSV upload and the confirmation that applies it."""

from django import forms
from django.template.defaultfilters import filesizeformat
from wagtail.admin.forms import WagtailAdminModelForm

from apothecary.core.admin import deletion_blockers
from apothecary.core.roles import is_pharmacist
from catalogue import services
from catalogue.models import IDENTITY_FIELDS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # about 20,000 packs; the file is kept in the session until it is applied


class CatalogueUploadForm(forms.Form):
    """A CSV file of packs, prices and stock (the format ``catalogue.csv`` describes)."""

    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with a header row, one row per pack, as “Export CSV” writes it. "
        f"At most {filesizeformat(MAX_UPLOAD_BYTES)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> bytes:
        """The file's bytes, refused when it is empty or too large."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; at most {filesizeformat(MAX_UPLOAD_BYTES)} can be "
                "imported at once. Split it into several files."
            )
        return upload.read()


class ApplyImportForm(forms.Form):
    """Apply the file shown in the preview: ``digest`` names it, so another upload in another tab is not applied."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ProductForm(WagtailAdminModelForm):
    """The product screen. What a product is (its guide, form, strength and active ingredients) is a pharmacist's
    decision (``catalogue.services``): anyone else who changes it is refused with the rule; a product anyone else
    adds, or a pharmacist saves without ticking "approve", waits for a pharmacist's approval."""

    approve = forms.BooleanField(
        required=False,
        label="Approve this product as a pharmacist",
        help_text="I have checked that its guide, form, strength and active ingredients are what is dispensed "
        "under its SKUs. Until a pharmacist approves it, it is not sold.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pharmacist = is_pharmacist(self.for_user)
        if not self.by_pharmacist:
            self.fields.pop("approve", None)
            if self.instance.pk:
                for name in IDENTITY_FIELDS & set(self.fields):
                    self.fields[
                        name
                    ].help_text = f"{self.fields[name].help_text} Only a pharmacist can change this.".strip()
        else:
            self.fields["approve"].initial = self.instance.pk is None  # an existing product: a tick of their own

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the submitted values
        try:
            services.check_identity_change(self.instance, self.for_user)
        except services.ProductIdentityLocked as exc:
            self.add_error(None, str(exc))
        packs = self.formsets.get("packs")
        for form in packs.deleted_forms if packs is not None and packs.is_bound and packs.is_valid() else []:
            if form.instance.pk and deletion_blockers([form.instance]):
                self.add_error(
                    None,
                    f"Pack {form.instance.sku} has been ordered, so it cannot be deleted (orders keep what was "
                    "bought): set its stock to 0 instead.",
                )

    def save(self, commit=True):
        product = super().save(commit=commit)
        if commit and self.by_pharmacist and self.cleaned_data.get("approve"):
            services.approve_product(product, self.for_user)
        return product

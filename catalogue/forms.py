"""Forms of the catalogue's admin screens: the CSV upload and the confirmation that applies it."""

from django import forms
from django.template.defaultfilters import filesizeformat

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # about 20,000 packs; the file is kept in the session until it is applied


class CatalogueUploadForm(forms.Form):
    """A CSV file of packs, prices and stock (the format ``catalogue.csv_io`` describes)."""

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

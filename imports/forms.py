"""The admin's "Import an article" form."""

from django import forms

from apothecary.core.forms import AccessibleErrorsMixin
from imports import articles as importing


class ImportArticleForm(AccessibleErrorsMixin, forms.Form):
    """A legacy article to import: an uploaded file or an http(s) address (one of the two)."""

    file = forms.FileField(
        required=False,
        label="File",
        help_text="An HTML page (.html) or plain text (.txt), such as a WordPress post saved from the browser.",
    )
    url = forms.URLField(
        required=False,
        label="Or an address",
        assume_scheme="https",
        help_text="The address of the published post (http or https).",
    )
    verify = forms.BooleanField(
        required=False,
        initial=True,
        label="Check the references against Crossref and PubMed now",
        help_text="So that the audit shows references that do not match their DOI. Takes a few seconds.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > importing.max_bytes():
            raise forms.ValidationError(
                f"The file is larger than {importing.max_bytes() // 1_000_000} MB: is it really one article?"
            )
        return upload

    def clean_url(self):
        url = self.cleaned_data.get("url")
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http:// and https:// addresses can be imported.")
        return url

    def clean(self):
        cleaned = super().clean()
        has_file, has_url = bool(cleaned.get("file")), bool(cleaned.get("url"))
        if not self.errors and has_file == has_url:
            raise forms.ValidationError("Give either a file or an address to import (one of the two).")
        return cleaned

    def source(self) -> importing.Source:
        """What to import, read from the upload or fetched from the address (``ImportFailed`` if that fails)."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return importing.Source(upload.read(importing.max_bytes() + 1), upload.name)
        return importing.fetch_url(self.cleaned_data["url"])

"""The public comment form, with its two quiet spam traps.

* ``website`` is a honeypot: hidden from sighted readers, labelled "Leave this
  field empty" for screen readers, skipped by the keyboard. Only bots fill it;
  the view then pretends to accept the comment and saves nothing.
* ``timestamp`` is the signed time the form was shown. A form sent back sooner
  than ``COMMENT_MIN_SECONDS`` (or with a forged or missing stamp) is refused
  with an error; ``COMMENT_MIN_SECONDS = 0`` turns this check off.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing

from apothecary.core.forms import AccessibleErrorsMixin
from discussion import services
from discussion.models import BODY_MAX_LENGTH
from discussion.text import normalise_newlines

TIMESTAMP_SALT = "discussion.comment-form.timestamp"
FORM_MAX_AGE = 2 * 24 * 60 * 60  # a form left open for two days is stale
HONEYPOT_FIELD = "website"


def make_timestamp(page_id: int, now: int | None = None) -> str:
    """A signed stamp of when the form for ``page_id`` was shown (whole seconds)."""
    return signing.dumps({"page": page_id, "at": int(time.time()) if now is None else now}, salt=TIMESTAMP_SALT)


class CommentTextField(forms.CharField):
    """A textarea's text with its line breaks as "\\n", so its length is what the reader typed."""

    def to_python(self, value):
        return normalise_newlines(super().to_python(value))


class CommentForm(AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="Your email address will not be published.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    comment = CommentTextField(
        label="Comment",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text. Please don't include personal medical details.",
    )
    notify = forms.BooleanField(
        label="E-mail me when my question is published and when a pharmacist answers it",
        required=False,
        help_text="We use your address only for these e-mails and never show it; each e-mail has a link to stop them.",
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.reply_to = None
        if not self.is_bound:
            self.initial.setdefault("timestamp", make_timestamp(page.pk))

    def honeypot_filled(self) -> bool:
        """True when the hidden field only bots see has been filled in."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_comment(self):
        body = self.cleaned_data["comment"]
        services.validate_link_count(body)
        return body

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        self.reply_to = services.find_reply_target(self.page, parent_id)
        if self.reply_to is None:
            raise forms.ValidationError("The comment you were replying to is no longer available.")
        return self.reply_to

    def clean_timestamp(self):
        minimum = settings.COMMENT_MIN_SECONDS
        if minimum <= 0:
            return None
        resend = "Please check your comment and send it again."
        try:
            stamp = signing.loads(self.cleaned_data["timestamp"], salt=TIMESTAMP_SALT)
        except signing.BadSignature:
            stamp = None
        if not isinstance(stamp, dict) or stamp.get("page") != self.page.pk or not isinstance(stamp.get("at"), int):
            raise forms.ValidationError(f"We could not check this form. {resend}", code="invalid")
        age = int(time.time()) - stamp["at"]
        if age > FORM_MAX_AGE:
            raise forms.ValidationError(f"This form has expired. {resend}", code="expired")
        if age < minimum:
            raise forms.ValidationError(f"That was very quick. {resend}", code="too_fast")
        return stamp

    def renew_timestamp(self) -> None:
        """Stamp a re-shown form afresh, so that fixing an error does not count as too fast or too old."""
        self.data = self.data.copy()
        self.data["timestamp"] = make_timestamp(self.page.pk)

    @property
    def hidden_errors(self) -> list[str]:
        """Errors of the hidden fields and of the form as a whole, shown above the form."""
        errors = list(self.non_field_errors())
        for name in ("parent", "timestamp"):
            errors.extend(self.errors.get(name, []))
        return errors

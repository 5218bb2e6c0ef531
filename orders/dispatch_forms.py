"""Forms of the order screen's dispatch and payment actions: dispensing (a row per line), shipping with a carrier,
recording a payment and refunding.

They only collect and tidy what the person typed; every rule is checked by ``orders.services`` when the view
calls it.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from orders.admin_forms import DATE_INPUT, note_field
from orders.models import Carrier, OrderLine
from orders.services import Dispensed, suggested_directions


class DispenseLineForm(forms.Form):
    """One line of the order as dispensed: the batch, its expiry, and the directions for the label."""

    batch_number = forms.CharField(
        label="Batch number", max_length=40, error_messages={"required": "Enter the batch number."}
    )
    expiry_date = forms.DateField(
        label="Expiry date", widget=DATE_INPUT, error_messages={"required": "Enter the batch's expiry date."}
    )
    directions = forms.CharField(
        label="Directions for the label",
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, line: OrderLine, needs_directions: bool, **kwargs):
        kwargs.setdefault("prefix", f"line-{line.pk}")
        kwargs.setdefault("initial", {"directions": suggested_directions(line)})
        super().__init__(*args, **kwargs)
        self.line = line
        if needs_directions:
            self.fields["directions"].required = True
            self.fields["directions"].error_messages["required"] = (
                "Enter the directions for the label (a prescription medicine)."
            )

    def clean_expiry_date(self):
        expiry = self.cleaned_data["expiry_date"]
        if expiry < timezone.localdate():
            raise forms.ValidationError("This batch has expired: dispense an unexpired one.")
        return expiry

    def dispensed(self) -> Dispensed:
        data = self.cleaned_data
        return Dispensed(data["batch_number"], data["expiry_date"], data.get("directions", ""))


class ShipForm(forms.Form):
    carrier = forms.ModelChoiceField(
        label="Carrier",
        queryset=Carrier.objects.filter(active=True),
        empty_label="Choose the carrier",
        error_messages={"required": "Choose the carrier."},
    )
    tracking_number = forms.CharField(label="Tracking number", max_length=80)


class PaymentForm(forms.Form):
    reference = forms.CharField(
        label="Payment reference (optional)",
        max_length=80,
        required=False,
        help_text="e.g. the bank statement's reference of the transfer.",
    )


class RefundForm(forms.Form):
    reference = forms.CharField(
        label="Refund reference",
        max_length=80,
        required=False,
        help_text="The payment provider's reference of the refund (required when the order was paid).",
    )
    note = note_field("Note (optional)", "e.g. how and when the money was returned.")

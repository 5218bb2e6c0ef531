"""Forms of the staff screens: the pharmacist's decision and the dispatch actions.

They only collect and tidy what the person typed; every rule is checked by
``orders.services`` when the view calls it.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone

from orders.services import describe_line

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# What a pharmacist checks on the prescription before approving, in the order they check it.
CHECKLIST = [
    ("checked_patient", "Patient", "The prescription names this patient (name and date of birth match)."),
    ("checked_prescriber", "Prescriber", "It is signed by a prescriber whose details are legible and can be verified."),
    ("checked_medicine", "Medicine", "It prescribes the medicine in each line you approve."),
    ("checked_strength", "Strength and form", "The strength and form match the product ordered."),
    ("checked_quantity", "Quantity", "The quantity prescribed covers the quantity ordered."),
    ("checked_date", "Date", "It is dated, not in the future, and still valid."),
]


class ApproveForm(forms.Form):
    """Approve some or all of an order's prescription lines."""

    lines = forms.TypedMultipleChoiceField(
        label="Lines to approve",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Lines you do not tick are removed from the order and their stock returned.",
        error_messages={"required": "Tick at least one line to approve (or reject the prescription below)."},
    )
    issued_on = forms.DateField(
        label="Date on the prescription",
        widget=DATE_INPUT,
        help_text="The date the prescriber wrote on it.",
    )
    valid_until = forms.DateField(
        label="Valid until",
        widget=DATE_INPUT,
        help_text="The approved lines can be dispensed until this date.",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the decision and shown to the patient with the order's status.",
    )
    override_reason = forms.CharField(
        label="Override reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to approve despite a severe warning: why it is safe for this patient.",
    )

    def __init__(self, *args, rx_lines=(), prescription=None, **kwargs):
        kwargs.setdefault("prefix", "approve")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("lines", [line.pk for line in rx_lines])
        initial.setdefault("valid_until", timezone.localdate() + timedelta(days=settings.PRESCRIPTION_VALID_DAYS))
        if prescription is not None and prescription.issued_on:
            initial.setdefault("issued_on", prescription.issued_on)
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [
            (line.pk, f"{line.quantity} × {describe_line(line)}, {line.units} units") for line in rx_lines
        ]
        for name, label, help_text in CHECKLIST:
            self.fields[name] = forms.BooleanField(
                label=label,
                help_text=help_text,
                error_messages={"required": f"Confirm you have checked: {label.lower()}."},
            )

    @property
    def checklist_fields(self):
        return [self[name] for name, _label, _help in CHECKLIST]

    def clean_issued_on(self):
        issued_on = self.cleaned_data["issued_on"]
        if issued_on > timezone.localdate():
            raise forms.ValidationError("The prescription's date cannot be in the future.")
        return issued_on


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the patient",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The patient reads this: say what is wrong and what they can do (e.g. upload a clearer scan).",
        error_messages={"required": "Give the patient a reason for the rejection."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reject")
        super().__init__(*args, **kwargs)


class ShipForm(forms.Form):
    tracking_number = forms.CharField(label="Tracking number", max_length=80)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the customer.",
        error_messages={"required": "Give a reason for cancelling the order."},
    )


class RefundForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. how and when the money was returned.",
    )

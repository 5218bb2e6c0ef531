"""Forms of the staff screens: the pharmacist's decision and cancelling (dispensing, shipping and payments:
``orders.dispatch_forms``).

They only collect and tidy what the person typed; every rule is checked by
``orders.services`` when the view calls it.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from orders.services import describe_line
from prescriptions.services import CHECKLIST, latest_valid_until, valid_days

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def note_field(label: str, help_text: str, *, rows: int = 2, required_message: str = "") -> forms.CharField:
    """A written reason or note of up to 2,000 characters; required when ``required_message`` says what is missing."""
    kwargs = {"error_messages": {"required": required_message}} if required_message else {"required": False}
    return forms.CharField(
        label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text, **kwargs
    )


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
        required=False,
        widget=DATE_INPUT,
    )
    note = note_field("Note (optional)", "Kept with the decision and shown to the patient with the order's status.")
    override_reason = note_field(
        "Override reason", "Required to approve despite a severe warning: why it is safe for this patient.", rows=3
    )

    def __init__(self, *args, rx_lines=(), prescription=None, **kwargs):
        kwargs.setdefault("prefix", "approve")
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("lines", [line.pk for line in rx_lines])
        if prescription is not None and prescription.issued_on:
            initial.setdefault("issued_on", prescription.issued_on)
            controlled = any(line.controlled for line in rx_lines)
            initial.setdefault("valid_until", latest_valid_until(prescription.issued_on, controlled=controlled))
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].help_text = (
            "The approved lines can be dispensed until this date. Left empty: as long as the prescription is valid, "
            f"{valid_days()} days from its date ({valid_days(controlled=True)} for a controlled medicine)."
        )
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
    reason = note_field(
        "Reason for the patient",
        "The patient reads this: say what is wrong and what they can do (e.g. upload a clearer scan).",
        rows=3,
        required_message="Give the patient a reason for the rejection.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reject")
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    reason = note_field(
        "Reason for cancelling", "Shown to the customer.", required_message="Give a reason for cancelling the order."
    )

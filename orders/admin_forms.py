"""Forms of the staff screens: the pharmacist's decision, questions and notes, and cancelling (dispensing,
shipping and payments: ``orders.dispatch_forms``).

They only collect and tidy what the person typed; every rule is checked by
``orders.services`` when the view calls it.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from orders.services import P_CHECK_NAMES, P_CHECKLIST, describe_line
from prescriptions.services import CHECK_NAMES, CHECKLIST, check_repeat, latest_valid_until, valid_days

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def note_field(label: str, help_text: str, *, rows: int = 2, required_message: str = "") -> forms.CharField:
    """A written reason or note of up to 2,000 characters; required when ``required_message`` says what is missing."""
    kwargs = {"error_messages": {"required": required_message}} if required_message else {"required": False}
    return forms.CharField(
        label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text, **kwargs
    )


class ApproveForm(forms.Form):
    """Approve some or all of an order's prescription and pharmacy-medicine (P) lines.

    The prescription's fields (its date, validity, prescriber, repeats, checklist) are there when the order has
    prescription lines; the P checklist when it has P lines. The note to the patient is e-mailed and shown on their
    order page; the internal note is kept with the order and never sent.
    """

    lines = forms.TypedMultipleChoiceField(
        label="Lines to approve",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Lines you do not tick are removed from the order and their stock returned.",
        error_messages={"required": "Tick at least one line to approve (or reject the order below)."},
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
    prescriber_name = forms.CharField(
        label="Prescriber's name",
        max_length=120,
        help_text="As on the prescription.",
        error_messages={"required": "Record the prescriber's name (as on the prescription)."},
    )
    prescriber_registration = forms.CharField(
        label="Prescriber's registration number",
        max_length=40,
        help_text="e.g. GMC, GPhC, NPI or DEA number, as on the prescription.",
        error_messages={"required": "Record the prescriber's registration number (as on the prescription)."},
    )
    prescriber_contact = forms.CharField(
        label="Prescriber's contact (optional)", max_length=200, required=False, help_text="Practice, phone or e-mail."
    )
    issues_allowed = forms.IntegerField(
        label="Issues allowed",
        min_value=1,
        max_value=99,
        initial=1,
        help_text="How many times the prescription may be dispensed: 1 for a one-off, more for a repeat.",
    )
    interval_days = forms.IntegerField(
        label="Interval (days)",
        min_value=1,
        max_value=365,
        required=False,
        help_text="For a repeat: the fewest days between two issues (required when more than one issue is allowed).",
    )
    note = note_field(
        "Note to the patient (optional)", "E-mailed to the patient and shown on their order page with the status."
    )
    internal_note = note_field(
        "Internal note (optional)", "Kept with the order for the pharmacy's staff: never sent or shown to the patient."
    )
    override_reason = note_field(
        "Override reason", "Required to approve despite a severe warning: why it is safe for this patient.", rows=3
    )

    PRESCRIPTION_FIELDS = (
        "issued_on",
        "valid_until",
        "prescriber_name",
        "prescriber_registration",
        "prescriber_contact",
        "issues_allowed",
        "interval_days",
    )

    def __init__(self, *args, rx_lines=(), p_lines=(), prescription=None, **kwargs):
        kwargs.setdefault("prefix", "approve")
        initial = kwargs.setdefault("initial", {})
        self.rx_lines, self.p_lines = list(rx_lines), list(p_lines)
        initial.setdefault("lines", [line.pk for line in [*self.rx_lines, *self.p_lines]])
        if prescription is not None:
            for name in ("prescriber_name", "prescriber_registration", "prescriber_contact"):
                initial.setdefault(name, getattr(prescription, name))
            if prescription.issued_on:
                initial.setdefault("issued_on", prescription.issued_on)
                initial.setdefault("valid_until", self.initial_valid_until(prescription, self.rx_lines))
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].help_text = (
            "The approved lines can be dispensed until this date. Left empty: as long as the prescription is valid, "
            f"{valid_days()} days from its date ({valid_days(controlled=True)} for a controlled medicine)."
        )
        self.fields["lines"].choices = [
            (
                line.pk,
                f"{line.quantity} × {describe_line(line)}, {line.units} units{' (P)' if line in self.p_lines else ''}",
            )
            for line in [*self.rx_lines, *self.p_lines]
        ]
        mixed = bool(self.rx_lines) and bool(self.p_lines)
        if not self.rx_lines:
            for name in self.PRESCRIPTION_FIELDS:
                del self.fields[name]
        for line in [*self.rx_lines, *self.p_lines]:
            self.fields[f"directions_{line.pk}"] = forms.CharField(
                label=f"Directions: {line.description}",
                max_length=255,
                required=False,
                help_text="For the label, as the prescriber wrote them (e.g. “Take one tablet three times a day”).",
            )
        # In a mixed order a checklist is needed only for the kind of line approved: the service checks which.
        for checklist, needed in ((CHECKLIST, self.rx_lines), (P_CHECKLIST, self.p_lines)):
            for name, label, help_text in checklist if needed else ():
                self.fields[name] = forms.BooleanField(
                    label=label,
                    help_text=help_text,
                    required=not mixed,
                    error_messages={"required": f"Confirm you have checked: {label.lower()}."},
                )

    @staticmethod
    def initial_valid_until(prescription, rx_lines):
        """The valid-until the form offers: ``latest_valid_until`` from the prescription's own date, the same rule
        the service applies."""
        return latest_valid_until(prescription.issued_on, controlled=any(line.controlled for line in rx_lines))

    @property
    def checklist_fields(self):
        return [self[name] for name, _label, _help in CHECKLIST if name in self.fields]

    @property
    def p_checklist_fields(self):
        return [self[name] for name, _label, _help in P_CHECKLIST if name in self.fields]

    @property
    def directions_fields(self):
        return [self[name] for name in self.fields if name.startswith("directions_")]

    def clean_issued_on(self):
        issued_on = self.cleaned_data["issued_on"]
        if issued_on > timezone.localdate():
            raise forms.ValidationError("The prescription's date cannot be in the future.")
        return issued_on

    def clean(self):
        cleaned = super().clean()
        if "issues_allowed" in self.fields and cleaned.get("issues_allowed"):
            try:
                check_repeat(cleaned["issues_allowed"], cleaned.get("interval_days"))
            except ValidationError as error:
                self.add_error("interval_days", error.messages)
        return cleaned

    def decision(self) -> dict:
        """The keyword arguments of ``orders.services.review_order`` (with ``approve_line_ids``)."""
        data = self.cleaned_data
        decision = {
            "approve_line_ids": data["lines"],
            "reason": data["note"],
            "internal_note": data["internal_note"],
            "override_reason": data["override_reason"],
            "checks": [name for name in CHECK_NAMES if data.get(name)],
            "p_checks": [name for name in P_CHECK_NAMES if data.get(name)],
            "directions": {line.pk: data.get(f"directions_{line.pk}", "") for line in [*self.rx_lines, *self.p_lines]},
        }
        if self.rx_lines:
            decision.update({name: data[name] for name in self.PRESCRIPTION_FIELDS})
        return decision


class RejectForm(forms.Form):
    reason = note_field(
        "Reason for the patient",
        "The patient reads this: say what is wrong and what they can do (e.g. upload a clearer scan).",
        rows=3,
        required_message="Give the patient a reason for the rejection.",
    )
    internal_note = note_field(
        "Internal note (optional)", "Kept with the order for the pharmacy's staff: never sent or shown to the patient."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "reject")
        super().__init__(*args, **kwargs)


class HoldForm(forms.Form):
    """Put the order on hold with a question to the patient."""

    question = note_field(
        "Question to the patient",
        "E-mailed to the patient, who answers on their order page; the order comes back to review with the answer.",
        rows=3,
        required_message="Write the question for the patient.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "hold")
        super().__init__(*args, **kwargs)


class PrescriberForm(forms.Form):
    """Contact the prescriber (the order waits for them), or record their reply (back to review)."""

    note = note_field(
        "What you asked the prescriber",
        "Kept as an internal note: never sent to the patient.",
        rows=3,
        required_message="Write what you asked the prescriber.",
    )

    def __init__(self, *args, replied=False, **kwargs):
        kwargs.setdefault("prefix", "replied" if replied else "prescriber")
        super().__init__(*args, **kwargs)
        if replied:
            self.fields["note"].label = "What the prescriber said"
            self.fields["note"].error_messages["required"] = "Write what the prescriber said."


class InternalNoteForm(forms.Form):
    text = note_field(
        "Internal note",
        "For the pharmacy's staff only: never e-mailed, never shown to the patient.",
        required_message="Write the note.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "internal")
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    reason = note_field(
        "Reason for cancelling", "Shown to the customer.", required_message="Give a reason for cancelling the order."
    )

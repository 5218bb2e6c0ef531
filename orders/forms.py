"""The public ordering forms: add to cart, checkout and the prescription for an order.

They check the shape of what was sent; the rules (prices, stock, who may order
what) are in ``orders.services`` and ``prescriptions.services``.
"""

from __future__ import annotations

import re
from uuid import uuid4

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape

from accounts.addresses import ADDRESS_FIELDS, US_STATES, clean_region, country_names, region_rule
from accounts.forms import HEALTH_FIELDS, HealthFieldsMixin, health_form_fields
from accounts.models import Address
from apothecary.core.forms import AccessibleErrorsMixin
from apothecary.core.text import refuse_invisible_characters
from catalogue.money import format_money
from medicines.models import QuestionKind
from orders import payments
from orders.services import MAX_PACKS_PER_LINE
from orders.services.checkout import shipping_methods
from orders.services.questionnaire import AGE, FOR_WHOM, MAX_ANSWER_LENGTH, NO, YES, Question, questions_for

REQUIRED_ADDRESS_FIELDS = ("full_name", "line1", "city", "postcode", "country")
NEW_ADDRESS = "new"
TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")


def quantity_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        max_value=MAX_PACKS_PER_LINE,
        error_messages={
            "min_value": f"Choose between 1 and {MAX_PACKS_PER_LINE} packs.",
            "max_value": f"Choose between 1 and {MAX_PACKS_PER_LINE} packs.",
            "invalid": "Enter a whole number of packs.",
            "required": "Enter a number of packs.",
        },
        **kwargs,
    )


def address_field(label: str, max_length: int, autocomplete: str, *, input_type: str = "", **kwargs) -> forms.CharField:
    """A part of the typed delivery address: optional here, required by ``CheckoutForm`` when it is the address."""
    attrs = {"type": input_type, "autocomplete": autocomplete} if input_type else {"autocomplete": autocomplete}
    return forms.CharField(
        label=label, max_length=max_length, required=False, widget=forms.TextInput(attrs=attrs), **kwargs
    )


class CartAddForm(forms.Form):
    """A pack and a number of packs: never a price."""

    pack = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = quantity_field(label="Quantity")


class CheckoutForm(AccessibleErrorsMixin, forms.Form):
    """Where to send the order, how it is paid, and the token that makes a double submit one order.

    Rules (``clean``): a saved address of the customer's own, or a typed
    address with every required part.
    """

    email = forms.EmailField(
        label="E-mail address",
        help_text="We send your order's updates here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    saved_address = forms.ChoiceField(label="Delivery address", required=False, widget=forms.RadioSelect)
    full_name = address_field("Full name", 120, "name", validators=[refuse_invisible_characters])
    line1 = address_field("Address line 1", 200, "address-line1")
    line2 = address_field("Address line 2", 200, "address-line2")
    city = address_field("City", 100, "address-level2")
    postcode = address_field("Postcode / ZIP code", 20, "postal-code")
    country = forms.ChoiceField(
        label="Country", required=False, widget=forms.Select(attrs={"autocomplete": "country-name"})
    )
    state = forms.ChoiceField(
        label="State (United States)",
        required=False,
        choices=[("", "Choose a state (US addresses)"), *((name, name) for _code, name in US_STATES)],
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    region = address_field(
        "County or region (outside the United States)",
        100,
        "address-level1",
        help_text="Optional: the county for a UK address, the region elsewhere.",
    )
    phone = address_field("Phone", 40, "tel", input_type="tel", help_text="For the courier, if they need to reach you.")
    save_address = forms.BooleanField(label="Save this address to my account", required=False)
    shipping = forms.ChoiceField(
        label="Shipping method", widget=forms.RadioSelect, error_messages={"required": "Choose a shipping method."}
    )
    payment_method = forms.ChoiceField(label="Payment method", widget=forms.RadioSelect)
    checkout_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.addresses = list(Address.objects.filter(user=self.user)) if self.user else []
        self.fields["payment_method"].choices = payments.choices()
        self.fields["shipping"].choices = [
            (m.code, f"{m.label}: {format_money(m.price)}" + (f" ({m.estimate})" if m.estimate else ""))
            for m in shipping_methods()
        ]
        self.fields["country"].choices = [(name, name) for name in country_names()]
        if self.user is None:
            del self.fields["save_address"]
        if self.addresses:
            self.fields["saved_address"].choices = [(str(a.pk), str(a)) for a in self.addresses] + [
                (NEW_ADDRESS, "A new address (type it below)")
            ]
        else:
            del self.fields["saved_address"]
            for name in REQUIRED_ADDRESS_FIELDS:
                self.fields[name].required = True
        if not self.is_bound:
            self.initial.setdefault("checkout_token", uuid4().hex)
            choices = self.fields["payment_method"].choices
            if choices:
                self.initial.setdefault("payment_method", choices[0][0])
            if self.fields["shipping"].choices:
                self.initial.setdefault("shipping", self.fields["shipping"].choices[0][0])
            if self.fields["country"].choices:
                self.initial.setdefault("country", self.fields["country"].choices[0][0])
            if self.user:
                self.initial.setdefault("email", self.user.email)
                self.initial.setdefault("full_name", self.user.get_full_name())
                default = next((a for a in self.addresses if a.is_default), None)
                if default is not None:
                    self.initial.setdefault("saved_address", str(default.pk))

    def clean_checkout_token(self):
        token = self.cleaned_data["checkout_token"].strip().lower()
        if not TOKEN_PATTERN.match(token):
            raise forms.ValidationError("This form has expired. Please check your order and send it again.")
        return token

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("saved_address") or NEW_ADDRESS
        # Kept in the address book when a signed-in customer typed it and asked.
        self.save_typed_address = choice == NEW_ADDRESS and bool(cleaned.get("save_address"))
        if choice != NEW_ADDRESS:
            address = next((a for a in self.addresses if str(a.pk) == choice), None)
            if address is None:
                self.add_error("saved_address", "Choose one of your addresses, or type a new one.")
            else:
                self.address = {name: getattr(address, name) for name in ADDRESS_FIELDS}
            return cleaned
        for name in REQUIRED_ADDRESS_FIELDS:
            if not (cleaned.get(name) or "").strip() and name not in self.errors:
                verb = "Choose" if name == "country" else "Enter"
                self.add_error(name, f"{verb} the {self.fields[name].label[0].lower()}{self.fields[name].label[1:]}.")
        country = cleaned.get("country") or ""
        # The region field the country has: a US state from the list, else the county or region typed.
        field = "state" if region_rule(country).choices else "region"
        try:
            region = clean_region(country, cleaned.get(field) or "") if country else ""
        except forms.ValidationError as error:
            self.add_error(field, error)
            region = ""
        self.address = {name: (cleaned.get(name) or "").strip() for name in ADDRESS_FIELDS}
        self.address["region"] = region
        return cleaned

    @property
    def token(self) -> str:
        return self.data.get("checkout_token", "") if self.is_bound else self.initial.get("checkout_token", "")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several files in one input (Django's recipe): cleans to a list of files."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class PrescriptionForm(AccessibleErrorsMixin, forms.Form):
    """The prescription for an order: scans or photos (one file, or several: pages, front and back), or who
    prescribed it."""

    file = MultipleFileField(
        label="Prescription files",
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png", "multiple": True}
        ),
    )
    prescriber_name = forms.CharField(
        label="Prescriber's name", max_length=120, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    prescriber_contact = forms.CharField(
        label="Prescriber's practice, phone or e-mail",
        max_length=200,
        required=False,
        help_text="So that the pharmacy can ask them for the prescription.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.PRESCRIPTION_MAX_UPLOAD_BYTES)
        self.fields["file"].help_text = (
            f"PDF, JPEG or PNG scans or photos of the whole prescription: choose several files if it has several "
            f"pages (at most {settings.PRESCRIPTION_MAX_FILES}), each up to {limit}."
        )

    def clean_file(self):
        files = self.cleaned_data.get("file") or []
        if len(files) > settings.PRESCRIPTION_MAX_FILES:
            raise forms.ValidationError(f"Upload at most {settings.PRESCRIPTION_MAX_FILES} files for one prescription.")
        return files

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("prescriber_name") or "").strip() and not self.errors:
            raise forms.ValidationError("Upload the prescription, or tell us who prescribed it so we can contact them.")
        return cleaned


AGE_ERROR = "Enter an age in whole years."


class PharmacyQuestionnaireForm(forms.Form):
    """One pharmacy medicine's questions at checkout (``orders.services.questionnaire``): the standard ones, then
    its guide's own, every one required. One form per P product in the cart, told apart by their prefix."""

    MYSELF, SOMEONE_ELSE = "myself", "someone_else"

    def __init__(self, *args, product, **kwargs):
        kwargs.setdefault("prefix", f"product-{product.pk}")
        super().__init__(*args, **kwargs)
        self.product = product
        self.questions = questions_for(product)
        for question in self.questions:
            self.fields[question.key] = self._field(question)
            if question.kind == FOR_WHOM:
                self.fields["for_name"] = forms.CharField(
                    label="Their name (if it is for someone else)",
                    max_length=120,
                    required=False,
                    validators=[refuse_invisible_characters],
                )

    def _field(self, question: Question) -> forms.Field:
        # An editor's help text is shown as HTML by the shared field template: escaped here.
        common = {"label": question.text, "help_text": escape(question.help_text)}
        required = {"required": f"Answer “{question.text}”"}
        if question.kind == FOR_WHOM:
            choices = [(self.MYSELF, "Myself"), (self.SOMEONE_ELSE, "Someone else")]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages=required, **common)
        if question.kind == AGE:
            return forms.IntegerField(
                min_value=0,
                max_value=130,
                error_messages={**required, "min_value": AGE_ERROR, "max_value": AGE_ERROR, "invalid": AGE_ERROR},
                **common,
            )
        if question.kind == QuestionKind.YES_NO:
            choices = [(YES, YES), (NO, NO)]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages=required, **common)
        return forms.CharField(max_length=MAX_ANSWER_LENGTH, error_messages=required, **common)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:  # point each invalid input at its message, as AccessibleErrorsMixin (prefixed ids)
            if name in self.fields:
                described_by = [f"{self[name].auto_id}_error"]
                if self.fields[name].help_text:
                    described_by.insert(0, f"{self[name].auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described_by)
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(FOR_WHOM) == self.SOMEONE_ELSE and not (cleaned.get("for_name") or "").strip():
            self.add_error("for_name", "Enter the name of the person the medicine is for.")
        return cleaned

    def answers(self) -> dict:
        """This product's entry of ``Order.health_answers`` (the form is valid)."""
        rows = []
        for question in self.questions:
            answer = self.cleaned_data[question.key]
            if question.kind == FOR_WHOM:
                name = self.cleaned_data["for_name"].strip()
                answer = f"Someone else: {name}" if answer == self.SOMEONE_ELSE else "Myself"
            rows.append({"question": question.text, "answer": str(answer).strip()})
        return {"product": self.product.name, "product_id": self.product.pk, "questions": rows}


class HealthDetailsForm(AccessibleErrorsMixin, HealthFieldsMixin, forms.Form):
    """What a pharmacy must know before a prescription or pharmacy-medicine order is reviewed (asked at checkout
    when the patient has not given it yet): date of birth, the allergy answer and list, current medicines.

    A signed-in patient's answers go to their account; a guest's onto the order (``place_order(health=...)``).
    """

    prefix = "health"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(health_form_fields(required=True))
        if user is not None and user.is_authenticated and not self.is_bound:
            for name in HEALTH_FIELDS:
                self.initial.setdefault(name, getattr(user, name))

    def clean(self):
        cleaned = super().clean()
        self.clean_health(cleaned)
        return cleaned

    @property
    def health(self) -> dict:
        """The answers, as ``place_order(health=...)`` and ``accounts.services.record_health_details`` take them."""
        return {name: self.cleaned_data[name] for name in HEALTH_FIELDS}


class AnswerForm(AccessibleErrorsMixin, forms.Form):
    """The patient's answer to the pharmacist's question on an order on hold."""

    answer = forms.CharField(
        label="Your answer",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your answer to the pharmacist's question."},
    )

"""The customer's forms: sign up, log in with an e-mail address, profile and address book."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordResetForm
from django.db import transaction
from django.utils import timezone

from accounts.addresses import clean_region, country_names
from accounts.models import Address, AllergyAnswer, User
from apothecary.core.forms import AccessibleErrorsMixin
from apothecary.core.text import refuse_invisible_characters


def split_full_name(full_name: str) -> tuple[str, str]:
    """Split "Robin A. Patient" into ("Robin A.", "Patient"): ``get_full_name()`` gives the same text back."""
    first, _, last = " ".join(full_name.split()).rpartition(" ")
    return (first, last) if first else (last, "")


def full_name_field() -> forms.CharField:
    """The "Full name" field of the sign-up and profile forms (``FullNameMixin`` keeps it in the user's names)."""
    return forms.CharField(
        label="Full name",
        max_length=150,
        validators=[refuse_invisible_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class FullNameMixin:
    """A single "Full name" field kept in the user's first and last name, also when the form saves the user."""

    def set_full_name(self, user: User) -> None:
        user.first_name, user.last_name = split_full_name(self.cleaned_data["full_name"])

    def save(self, commit=True):
        user = super().save(commit=False)
        self.set_full_name(user)
        if commit:
            user.save()
        return user


class SignUpForm(AccessibleErrorsMixin, FullNameMixin, BaseUserCreationForm):
    """E-mail, full name and the password twice; Django's password validators apply."""

    full_name = full_name_field()

    class Meta:
        model = User
        fields = ("email",)
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}
        labels = {"email": "E-mail address"}

    field_order = ["email", "full_name", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.order_fields(self.field_order)

    def clean_email(self):
        # Whether the address has an account is never said here: accounts.services.sign_up writes to it instead.
        return User.objects.normalize_email(self.cleaned_data["email"]).strip()

    def validate_unique(self):
        """Not here: an address already used is answered like any other (``accounts.services.sign_up``)."""

    def _post_clean(self):
        # The name is on the instance before the password validators compare the password with it.
        if "full_name" in self.cleaned_data:
            self.set_full_name(self.instance)
        super()._post_clean()


class EmailAuthenticationForm(AccessibleErrorsMixin, AuthenticationForm):
    """Django's log-in form, asking for the e-mail address."""

    username = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The e-mail address and password do not match an account. Both are case-sensitive.",
    }


OLDEST_AGE_YEARS = 120
ALLERGY_CHOICES = [
    (AllergyAnswer.NONE_KNOWN.value, "No known allergies"),
    (AllergyAnswer.LISTED.value, "I have allergies (list them below)"),
]
HEALTH_FIELDS = ("date_of_birth", "allergy_answer", "allergies", "current_medicines")


def health_form_fields(*, required: bool) -> dict[str, forms.Field]:
    """What a pharmacy must know, asked once (in the account, or at checkout): date of birth, an explicit allergy
    answer with the list, and the medicines taken now. ``required``: the date of birth and the allergy answer."""
    return {
        "date_of_birth": forms.DateField(
            label="Date of birth",
            required=required,
            widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
            help_text="A pharmacist checks your age before dispensing some medicines.",
            error_messages={"required": "Enter your date of birth.", "invalid": "Enter a date, e.g. 1980-02-29."},
        ),
        "allergy_answer": forms.ChoiceField(
            label="Allergies",
            choices=ALLERGY_CHOICES,
            required=required,
            widget=forms.RadioSelect,
            error_messages={"required": "Tell us whether you have any allergies."},
        ),
        "allergies": forms.CharField(
            label="Your allergies",
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="Comma-separated, e.g. “penicillin, latex”. A pharmacist checks them against every "
            "prescription medicine you order.",
        ),
        "current_medicines": forms.CharField(
            label="Medicines you take now",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="Including ones bought without a prescription, comma-separated (e.g. “sertraline 50 mg, "
            "ibuprofen”). Leave empty if none.",
        ),
    }


class HealthFieldsMixin:
    """The rules of the health answers: a date of birth in the past and at most 120 years ago; "I have allergies"
    needs the list, "No known allergies" none; a list typed without choosing is the answer "I have allergies"."""

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        today = timezone.localdate()
        if born and born > today:
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if born and (today.year - born.year) > OLDEST_AGE_YEARS:
            raise forms.ValidationError(f"Check the date of birth: it is more than {OLDEST_AGE_YEARS} years ago.")
        return born

    def clean_health(self, cleaned: dict) -> None:
        answer = cleaned.get("allergy_answer") or ""
        allergies = (cleaned.get("allergies") or "").strip()
        if not answer and allergies and "allergy_answer" not in self.errors:
            answer = cleaned["allergy_answer"] = AllergyAnswer.LISTED
        listed = [item for item in allergies.replace("\n", ",").split(",") if item.strip()]
        if answer == AllergyAnswer.LISTED and not listed:
            self.add_error("allergies", "List your allergies, or choose “No known allergies”.")
        if answer == AllergyAnswer.NONE_KNOWN and listed:
            self.add_error(
                "allergies",
                "You chose “No known allergies” but listed some: choose “I have allergies” or clear the list.",
            )
        cleaned["allergies"] = allergies if answer == AllergyAnswer.LISTED else ""
        cleaned["current_medicines"] = (cleaned.get("current_medicines") or "").strip()


class ProfileForm(AccessibleErrorsMixin, HealthFieldsMixin, FullNameMixin, forms.ModelForm):
    full_name = full_name_field()

    class Meta:
        model = User
        fields = HEALTH_FIELDS

    field_order = ["full_name", *HEALTH_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(health_form_fields(required=False))
        self.order_fields(self.field_order)
        self.fields["full_name"].initial = self.instance.get_full_name()

    def clean(self):
        cleaned = super().clean()
        self.clean_health(cleaned)
        return cleaned

    def save(self, commit=True):
        if set(HEALTH_FIELDS) & set(self.changed_data):
            self.instance.health_details_updated_at = timezone.now()
        return super().save(commit)


class AddressForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = Address
        fields = ("full_name", "line1", "line2", "city", "region", "postcode", "country", "phone", "is_default")
        labels = {"is_default": "Use as my default delivery address"}
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "region": forms.TextInput(attrs={"autocomplete": "address-level1"}),
            "country": forms.Select(attrs={"autocomplete": "country-name"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["phone"].help_text = "For the courier, if they need to reach you."
        names = country_names()
        current = self.instance.country if self.instance.pk else ""
        choices = [(name, name) for name in names]
        if current and current not in names:  # an address kept from before the list: shown, until changed
            choices.append((current, current))
        self.fields["country"].widget.choices = choices
        if not self.instance.pk and names:
            self.initial.setdefault("country", names[0])
        self.fields["region"].label = "State, county or region"
        self.fields["region"].help_text = "The state for a US address; the county (optional) for a UK address."

    def clean_country(self):
        country = self.cleaned_data["country"]
        if country not in country_names() and country != (self.instance.country if self.instance.pk else None):
            raise forms.ValidationError("Choose a country from the list.")
        return country

    def clean(self):
        cleaned = super().clean()
        if "country" in cleaned and "region" not in self.errors:
            try:
                cleaned["region"] = clean_region(cleaned["country"], cleaned.get("region", ""))
            except forms.ValidationError as error:
                self.add_error("region", error)
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        address = super().save(commit=False)
        address.user = self.user
        # The first address is the default; there is only ever one default.
        others = Address.objects.filter(user=self.user)
        if address.pk is not None:
            others = others.exclude(pk=address.pk)
        if not others.exists():
            address.is_default = True
        address.save()
        if address.is_default:
            Address.objects.filter(user=self.user, is_default=True).exclude(pk=address.pk).update(is_default=False)
        return address


@transaction.atomic
def make_default_address(address: Address) -> None:
    Address.objects.filter(user_id=address.user_id).exclude(pk=address.pk).update(is_default=False)
    Address.objects.filter(pk=address.pk).update(is_default=True)


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most ``RATE_LIMITS["password_reset_email"]`` e-mails to one address an
    hour; the page says the same either way."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        from accounts.services import may_send_password_reset

        if may_send_password_reset(to_email):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, **kwargs)

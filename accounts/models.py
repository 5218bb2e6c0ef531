from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from apothecary.core.roles import PHARMACISTS
from apothecary.core.text import refuse_invisible_characters, split_list


class EmailUserManager(UserManager):
    """Users are identified by e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class AllergyAnswer(models.TextChoices):
    NONE_KNOWN = "none", "No known allergies"
    LISTED = "listed", "Allergies listed"


class User(AbstractUser):
    """A person with an account: a patient, an editor or a pharmacist.

    ``credentials`` is what a reviewer's name is followed by on a guide
    ("Jane Doe, PharmD").
    """

    username = None
    email = models.EmailField("e-mail address", unique=True)
    first_name = models.CharField("first name", max_length=150, blank=True, validators=[refuse_invisible_characters])
    last_name = models.CharField("last name", max_length=150, blank=True, validators=[refuse_invisible_characters])
    credentials = models.CharField(
        max_length=100, blank=True, help_text="Shown after the name, e.g. “PharmD” or “MRPharmS”."
    )
    email_confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the owner opened the link sent at sign-up.",
    )
    date_of_birth = models.DateField(null=True, blank=True)
    allergy_answer = models.CharField(
        "allergies",
        max_length=10,
        choices=AllergyAnswer.choices,
        blank=True,
        help_text="Empty until the patient answers: “not answered” is never read as “no known allergies”.",
    )
    allergies = models.TextField(
        blank=True,
        help_text="Known allergies, comma-separated (e.g. “penicillin, aspirin”). A pharmacist checks them "
        "against every prescription medicine you order.",
    )
    current_medicines = models.TextField(
        blank=True,
        help_text="Medicines you take now, including ones bought without a prescription, comma-separated.",
    )
    health_details_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        """The public name: never the e-mail address."""
        return self.get_full_name() or "Pharmacy team"

    @property
    def name_with_credentials(self) -> str:
        return ", ".join(part for part in (self.display_name, self.credentials) if part)

    def is_pharmacist(self) -> bool:
        return self.is_active and self.groups.filter(name=PHARMACISTS).exists()

    @property
    def allergy_list(self) -> list[str]:
        """The allergies listed (none unless the answer is "allergies listed")."""
        if self.allergy_answer != AllergyAnswer.LISTED:
            return []
        return split_list(self.allergies)

    @property
    def allergies_answered(self) -> bool:
        """The patient said either "no known allergies" or listed them."""
        return self.allergy_answer == AllergyAnswer.NONE_KNOWN or bool(
            self.allergy_answer == AllergyAnswer.LISTED and self.allergy_list
        )

    @property
    def current_medicine_list(self) -> list[str]:
        return split_list(self.current_medicines)


class Address(models.Model):
    """A delivery address in a customer's address book (copied onto each order)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    full_name = models.CharField(max_length=120, validators=[refuse_invisible_characters])
    line1 = models.CharField("address line 1", max_length=200)
    line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postcode = models.CharField("postcode / ZIP", max_length=20)
    region = models.CharField(
        "state, county or region", max_length=100, blank=True, help_text="A US state; a UK county (optional)…"
    )
    country = models.CharField(max_length=100, default="United States")
    phone = models.CharField(max_length=40, blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_default", "pk"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(part for part in (self.full_name, self.line1, self.city, self.postcode) if part)


class PendingSignUp(models.Model):
    """A sign-up waiting for its owner to open the link sent to the address, and to type the password chosen: no
    account exists until then, and a pending sign-up never touches an existing account."""

    email = models.EmailField(db_index=True)
    first_name = models.CharField(max_length=150, blank=True, validators=[refuse_invisible_characters])
    last_name = models.CharField(max_length=150, blank=True, validators=[refuse_invisible_characters])
    password = models.CharField(max_length=128, help_text="A hash, as on an account.")
    next_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Sign-up of {self.email} waiting since {self.created_at:%Y-%m-%d %H:%M}"

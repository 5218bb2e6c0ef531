from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


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


class User(AbstractUser):
    """A person with an account: a patient, an editor or a pharmacist.

    ``credentials`` is what a reviewer's name is followed by on a guide
    ("Jane Doe, PharmD").
    """

    PHARMACISTS_GROUP = "Pharmacists"

    username = None
    email = models.EmailField("e-mail address", unique=True)
    credentials = models.CharField(
        max_length=100, blank=True, help_text="Shown after the name, e.g. “PharmD” or “MRPharmS”."
    )

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
        return self.is_active and self.groups.filter(name=self.PHARMACISTS_GROUP).exists()

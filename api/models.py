"""API tokens: how staff scripts and partner systems sign in to the staff API.

Only a hash of each token is stored. The token itself is shown once, when it
is created in the admin; its first characters (``prefix``) find it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    """What a token may do. A token never does more than its owner may (``SCOPE_PERMISSIONS``)."""

    CATALOGUE_WRITE = "catalogue:write", "Update prices and stock (catalogue:write)"
    ORDERS_READ = "orders:read", "Read orders awaiting review (orders:read)"


# The Django permission the token's owner needs for each scope.
SCOPE_PERMISSIONS = {
    Scope.CATALOGUE_WRITE: "catalogue.change_product",
    Scope.ORDERS_READ: "orders.view_order",
}


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Neither revoked nor expired."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A bearer token for the staff API, owned by a member of staff and limited to some scopes.

    Rules (``clean``): at least one scope, and only known ones.
    """

    name = models.CharField(max_length=100, help_text="What uses the token, e.g. “Stock sync from the till”.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_api_tokens",
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text="The member of staff the token acts for; it can never do more than they can.",
    )
    scopes = models.JSONField(default=list, help_text="What the token may do.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    token_hash = models.CharField("token hash (SHA-256)", max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(
        "expires", null=True, blank=True, editable=False, help_text="After this, the token no longer signs in."
    )
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "staff API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = [scope for scope in self.scopes or [] if scope not in Scope.values]
        if unknown:
            raise ValidationError({"scopes": f"Unknown scopes: {', '.join(unknown)}."})
        if not self.scopes:
            raise ValidationError({"scopes": "Choose at least one scope."})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def status_label(self) -> str:
        if self.is_revoked:
            return "Revoked"
        if self.is_expired:
            return "Expired"
        return f"Active until {timezone.localdate(self.expires_at):%d %b %Y}" if self.expires_at else "Active"

    @property
    def scope_labels(self) -> str:
        return ", ".join(self.scopes or [])

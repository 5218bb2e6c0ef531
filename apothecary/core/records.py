"""Records written once: a pharmacist's approval or decision is kept as it was made, never edited."""

from __future__ import annotations

from django.db import models


class ImmutableRecordError(ValueError):
    """Something tried to change or delete a record that is written once."""


class WrittenOnce(models.Model):
    """A model whose rows are saved once; saving a saved row again raises ``ImmutableRecordError``.

    ``record_label`` names the record in the message ("A pharmacist's decision is a record: it cannot be edited.").
    """

    record_label = "This record"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRecordError(f"{self.record_label} is a record: it cannot be edited.")
        super().save(*args, **kwargs)

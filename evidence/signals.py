"""Queue a check of a reference when it is saved with a DOI or PMID not yet checked, or that could not be checked
(saving it again in the admin is how an editor asks for another try)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_init, post_save, pre_save
from django.dispatch import receiver

from evidence.models import VERIFICATION_FIELDS, Reference, VerificationStatus

logger = logging.getLogger(__name__)


def _identifiers(reference: Reference) -> tuple[str, str]:
    return ((reference.doi or "").strip().lower(), (reference.pmid or "").strip())


def _only_verification(update_fields) -> bool:
    return update_fields is not None and set(update_fields) <= set(VERIFICATION_FIELDS)


@receiver(post_init, sender=Reference)
def remember_identifiers(sender, instance: Reference, **kwargs) -> None:
    instance._checked_identifiers = _identifiers(instance)


@receiver(pre_save, sender=Reference)
def forget_stale_verification(sender, instance: Reference, update_fields=None, **kwargs) -> None:
    """A changed DOI or PMID makes the last check meaningless: back to "not checked" until checked again."""
    if _only_verification(update_fields) or instance._state.adding:
        return
    if _identifiers(instance) != getattr(instance, "_checked_identifiers", None):
        instance.verification_status = VerificationStatus.NOT_CHECKED
        instance.verification_notes = ""
        instance.verified_at = None


def enqueue_verification(reference_id: int) -> None:
    from evidence.tasks import verify_reference_task

    try:
        verify_reference_task.enqueue(reference_id)
    except Exception:
        logger.exception("Could not check reference %s", reference_id)


@receiver(post_save, sender=Reference)
def queue_verification(sender, instance: Reference, raw=False, update_fields=None, **kwargs) -> None:
    if raw or _only_verification(update_fields):
        return  # fixtures, and the check's own save (no recursion)
    changed = _identifiers(instance) != getattr(instance, "_checked_identifiers", None)
    instance._checked_identifiers = _identifiers(instance)
    if not getattr(settings, "VERIFY_REFERENCES_ON_SAVE", False):
        return
    if not (instance.doi or instance.pmid):
        return
    if changed or instance.verification_status in (VerificationStatus.NOT_CHECKED, VerificationStatus.COULD_NOT_CHECK):
        reference_id = instance.pk
        transaction.on_commit(lambda: enqueue_verification(reference_id), robust=True)

"""What a pharmacist checks before approving: ``safety_checks`` is the list of findings of the order's clinical
screening (``orders.services.screening``): allergies, interactions (by medicine, ingredient or class), duplicate
therapy, age limits, and what could not be screened."""

from __future__ import annotations

from orders.models import Order
from orders.services.screening import Finding, screening

# Kept for the callers that named the old class: a finding has ``kind``, ``severe`` and ``message``.
SafetyWarning = Finding


def safety_checks(order: Order, lines=None) -> list[Finding]:
    """The findings of ``screening(order, lines)``; ``lines`` limits "this order" to some of its lines (those a
    pharmacist approves). Each has ``kind`` (allergy, interaction, duplicate, age, cannot_screen), ``severe`` and
    ``message``, and says where the other medicine comes from and its source row."""
    return screening(order, lines).findings

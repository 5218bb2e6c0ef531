"""What a pharmacist checks before approving: allergies, and interactions with the patient's other medicines."""

from __future__ import annotations

from dataclasses import dataclass

from medicines.models import Interaction
from orders.models import ACTIVE, Order, OrderLine


@dataclass
class SafetyWarning:
    kind: str  # "allergy" or "interaction"
    severe: bool
    message: str


def _names(medicine) -> set[str]:
    return {name.lower() for name in [medicine.generic_name, *medicine.ingredient_list] if name}


def safety_checks(order: Order, lines=None) -> list[SafetyWarning]:
    """What a pharmacist checks before approving: allergies, and interactions with the patient's other medicines.

    Interactions come from the guides' structured interaction rows: a row of a
    medicine in this order naming another medicine (of this order or of the
    patient's other active orders) by generic name or ingredient, or a row of
    one of those other medicines naming a medicine of this order. ``lines``
    limits the check to some of the order's lines (those a pharmacist approves).
    """
    if lines is None:
        lines = order.lines.filter(removed=False).select_related("pack__product__medicine")
    medicines = {line.pack.product.medicine for line in lines}
    patient = order.customer
    warnings: list[SafetyWarning] = []
    others: set = set()
    if patient is not None:
        for medicine in medicines:
            for allergy in patient.allergy_list:
                if any(allergy.lower() in name or name in allergy.lower() for name in _names(medicine)):
                    message = (
                        f"The patient records an allergy to “{allergy}”; "
                        f"{medicine.title} contains {medicine.active_ingredients}."
                    )
                    warnings.append(SafetyWarning("allergy", True, message))
        other_lines = (
            OrderLine.objects.filter(order__customer=patient, order__status__in=ACTIVE, removed=False)
            .exclude(order=order)
            .select_related("pack__product__medicine")
        )
        others = {line.pack.product.medicine for line in other_lines} - medicines
    rows = Interaction.objects.filter(page__in=[m.pk for m in medicines | others]).select_related("page")
    for row in rows:
        candidates = (medicines | others) if row.page in medicines else medicines
        for other in candidates:
            if other.pk == row.page_id or not any(name in row.substance.lower() for name in _names(other)):
                continue
            where = "both in this order" if {other, row.page} <= medicines else "with another active order"
            message = f"{row.page.title} and {other.title} ({where}): {row.get_severity_display()}. {row.effect}"
            warnings.append(SafetyWarning("interaction", row.is_severe, message))
    return warnings

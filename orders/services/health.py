"""What a pharmacy must know about the patient before a pharmacist reviews an order: date of birth, an explicit
allergy answer ("no known allergies" or a list) and the medicines they take.

A signed-in patient's details are on their account (asked once, in the account or at checkout); a guest's are on
the order (``Order.patient_*``, as given at checkout). "Not answered" is never read as "no known allergies".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AllergyAnswer
from apothecary.core.text import split_list
from orders.models import Order

MISSING_DATE_OF_BIRTH = "The patient's date of birth is not recorded"
MISSING_ALLERGY_ANSWER = "The patient has not answered the allergy question"


def age_on(born: date | None, day: date | None = None) -> int | None:
    """Whole years from ``born`` to ``day`` (today); None without a date of birth."""
    if born is None:
        return None
    day = day or timezone.localdate()
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass
class HealthDetails:
    """The patient's health details for one order, and what is missing from them."""

    date_of_birth: date | None
    allergy_answer: str  # "" (not answered), "none" or "listed" (accounts.AllergyAnswer)
    allergies: list[str] = field(default_factory=list)
    current_medicines: list[str] = field(default_factory=list)
    updated_at: datetime | None = None
    on_account: bool = True  # False: a guest's details, given at checkout and kept on the order

    @property
    def age(self) -> int | None:
        return age_on(self.date_of_birth)

    @property
    def allergies_answered(self) -> bool:
        return self.allergy_answer == AllergyAnswer.NONE_KNOWN or bool(
            self.allergy_answer == AllergyAnswer.LISTED and self.allergies
        )

    @property
    def allergy_label(self) -> str:
        """The answer as the pharmacist reads it: never "None recorded" for a question not answered."""
        if self.allergy_answer == AllergyAnswer.NONE_KNOWN:
            return "No known allergies"
        if self.allergies_answered:
            return ", ".join(self.allergies)
        return "Not answered"

    @property
    def missing(self) -> list[str]:
        missing = []
        if self.date_of_birth is None:
            missing.append(MISSING_DATE_OF_BIRTH)
        if not self.allergies_answered:
            missing.append(MISSING_ALLERGY_ANSWER)
        return missing

    @property
    def complete(self) -> bool:
        return not self.missing


def details_of_user(user) -> HealthDetails:
    return HealthDetails(
        date_of_birth=user.date_of_birth,
        allergy_answer=user.allergy_answer,
        allergies=user.allergy_list,
        current_medicines=user.current_medicine_list,
        updated_at=user.health_details_updated_at,
    )


def health_details(order: Order) -> HealthDetails:
    """The patient's health details for ``order``: their account's, or for a guest what they gave at checkout."""
    if order.customer is not None:
        return details_of_user(order.customer)
    answer = order.patient_allergy_answer
    return HealthDetails(
        date_of_birth=order.patient_date_of_birth,
        allergy_answer=answer,
        allergies=split_list(order.patient_allergies) if answer == AllergyAnswer.LISTED else [],
        current_medicines=split_list(order.patient_current_medicines),
        on_account=False,
    )


def require_health_details(order: Order) -> HealthDetails:
    """Refuse (ValidationError naming what is missing) to go on without the patient's date of birth and allergy
    answer: a pharmacist cannot screen an order without them."""
    details = health_details(order)
    if details.missing:
        raise ValidationError(
            "This order cannot be approved yet. "
            + "".join(f"{missing}. " for missing in details.missing)
            + "Ask the patient for it (a patient with an account adds it under My account) before approving."
        )
    return details


def cart_needs_health_details(cart, customer) -> bool:
    """Whether checkout asks the patient's health details: for a cart with a prescription or pharmacy-medicine
    line, unless the signed-in patient's account already has them complete (asked once)."""
    if not any(line.requires_prescription or line.pharmacy_medicine for line in cart.lines):
        return False
    if customer is None or not customer.is_authenticated:
        return True
    return not details_of_user(customer).complete

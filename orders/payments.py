"""Payment providers: how an order is paid, behind one small interface.

A provider has a ``code``, a ``label`` for the checkout form, ``start(order)``
(called inside the checkout transaction; returns a payment reference) and
``instructions(order)`` (shown to the customer on the order page and in
e-mails); ``pay_before_dispensing`` says whether the staff must record the
payment before a pharmacist may dispense the order. ``PAYMENT_PROVIDERS`` lists the enabled ones by dotted path.

A card provider plugs in the same way: its ``start`` creates a payment intent
with the processor's API and returns the intent's id; a webhook view of its own
confirms the payment later. No card data ever touches this application.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string


class PaymentProvider:
    code = ""
    label = ""
    # True when the money must have arrived (and the staff recorded it) before the order is dispensed.
    pay_before_dispensing = False

    def start(self, order) -> str:
        """Prepare payment for ``order``; return the reference the pharmacy will see the payment under."""
        return ""

    def instructions(self, order) -> str:
        return ""


class PayOnDelivery(PaymentProvider):
    code = "pay_on_delivery"
    label = "Pay on delivery"
    pay_before_dispensing = False

    def instructions(self, order) -> str:
        return "Pay the courier when your order is delivered."


class BankTransfer(PaymentProvider):
    code = "bank_transfer"
    label = "Bank transfer"
    pay_before_dispensing = True

    def start(self, order) -> str:
        return order.number

    def instructions(self, order) -> str:
        return (
            f"Transfer the total to {settings.BANK_TRANSFER_DETAILS}, quoting the reference {order.payment_reference}. "
            "We send your order once the transfer arrives."
        )


def providers() -> dict[str, PaymentProvider]:
    enabled = [import_string(path)() for path in settings.PAYMENT_PROVIDERS]
    return {provider.code: provider for provider in enabled}


def get_provider(code: str) -> PaymentProvider:
    try:
        return providers()[code]
    except KeyError:
        raise ValidationError("Choose a payment method.") from None


def choices() -> list[tuple[str, str]]:
    return [(code, provider.label) for code, provider in providers().items()]

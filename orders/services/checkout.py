"""Placing an order: in one transaction, priced from the catalogue, with the stock taken.

Stock is taken when an order is placed (rows locked on PostgreSQL, and a conditional UPDATE everywhere) and
returned when it is rejected or cancelled (``status.set_status``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.addresses import save_address as keep_address
from accounts.services import record_health_details
from catalogue.models import Pack
from orders.models import Order, OrderLine, OrderStatus
from orders.payments import get_provider
from orders.services.errors import OrderError, OutOfStock
from orders.services.log import record_move
from orders.services.pricing import check_controlled, check_product_limits, check_quantities, price_lines
from orders.services.questionnaire import check_health_answers
from orders.services.status import set_status


@dataclass(frozen=True)
class ShippingMethod:
    """A way to send an order (``settings.SHIPPING_METHODS``): its price is added to the order's total."""

    code: str
    label: str
    price: Decimal
    estimate: str = ""


def shipping_methods() -> list[ShippingMethod]:
    """The shipping methods offered at checkout, the first one the default."""
    methods = []
    for entry in settings.SHIPPING_METHODS:
        try:
            price = Decimal(str(entry["price"])).quantize(Decimal("0.01"))
        except (KeyError, InvalidOperation):
            raise ImproperlyConfigured(f'SHIPPING_METHODS: {entry!r} needs a price such as "4.95".') from None
        if price < 0:
            raise ImproperlyConfigured(f"SHIPPING_METHODS: {entry['code']} costs less than nothing.")
        methods.append(ShippingMethod(entry["code"], entry["label"], price, entry.get("estimate", "")))
    return methods


def shipping_method(code: str) -> ShippingMethod:
    """The shipping method with this code, or ValidationError ("Choose a shipping method.")."""
    for method in shipping_methods():
        if method.code == code:
            return method
    raise ValidationError("Choose a shipping method.")


def place_order(
    *,
    quantities: dict[int, int],
    customer,
    email: str,
    address: dict[str, str],
    payment_method: str,
    checkout_token: str,
    health_answers: list[dict] | None = None,
    health: dict | None = None,
    settle: Callable[[Order], str] | None = None,
    shipping: str | None = None,
    save_address: bool = False,
) -> Order:
    """Place an order from pack ids and quantities; the same ``checkout_token`` always gives the same order.

    In one transaction: price every line from the catalogue, take the stock
    (refusing with OutOfStock if a pack has too little), create the order and
    move it to "awaiting prescription", "in pharmacist review" (a pharmacy medicine) or "approved". A pharmacy
    medicine needs its questionnaire answered (``health_answers``, see ``questionnaire``). ``settle`` (a
    reorder's) is called with the new order, its lines made, and says the status it moves to instead (or
    refuses, undoing everything).

    ``health``: the patient's answers given at checkout (date_of_birth, allergy_answer, allergies,
    current_medicines): saved to a signed-in customer's account, or kept on a guest's order.

    ``shipping``: the code of a shipping method (``shipping_methods``); its price is added to the total and the
    method kept on the order. ``None`` (a reorder) sends it without a shipping charge. ``save_address``: a signed-in
    customer asked to keep the address in their address book.
    """
    existing = _order_for_token(checkout_token, customer, email)
    if existing is not None:
        return existing
    check_quantities(quantities)
    provider = get_provider(payment_method)
    method = shipping_method(shipping) if shipping is not None else None
    try:
        with transaction.atomic():
            # Lock the packs in a fixed order (no deadlocks between two checkouts), then price them.
            list(Pack.objects.select_for_update().filter(pk__in=quantities).order_by("pk").values_list("pk"))
            cart = price_lines(quantities)
            if len(cart.lines) != len(quantities):
                raise OrderError("Something in your cart is no longer sold. Please review your cart.")
            if cart.needs_prescription and (customer is None or not customer.is_authenticated):
                raise OrderError("Prescription medicines need an account: please log in or sign up to order them.")
            check_controlled(cart)
            check_product_limits(cart)
            answers = check_health_answers(cart, health_answers)
            for line in cart.lines:
                taken = Pack.objects.filter(pk=line.pack.pk, stock__gte=line.quantity).update(
                    stock=F("stock") - line.quantity
                )
                if not taken:
                    raise OutOfStock(
                        f"Not enough stock: {line.pack.product} ({line.pack.size_label}) has fewer than "
                        f"{line.quantity} pack(s) left. Lower the quantity or try again later."
                    )
            order = Order.objects.create(
                checkout_token=checkout_token,
                customer=customer if customer is not None and customer.is_authenticated else None,
                email=email,
                payment_method=provider.code,
                total=cart.total + (method.price if method else Decimal("0.00")),
                shipping_method=method.code if method else "",
                shipping_label=method.label if method else "",
                shipping_estimate=method.estimate if method else "",
                shipping_cost=method.price if method else Decimal("0.00"),
                health_answers=answers,
                **address,
                **_guest_health(customer, health),
            )
            if health and customer is not None and customer.is_authenticated:
                record_health_details(customer, **health)
            if save_address and customer is not None and customer.is_authenticated:
                keep_address(customer, address)
            OrderLine.objects.bulk_create(
                OrderLine(
                    order=order,
                    pack=line.pack,
                    description=f"{line.pack.product} — {line.pack.size_label}",
                    sku=line.pack.sku,
                    active_ingredients=line.pack.product.active_ingredients,
                    strength=line.pack.product.strength,
                    unit_price=line.pack.price,
                    quantity=line.quantity,
                    line_total=line.line_total,
                    requires_prescription=line.requires_prescription,
                    controlled=line.controlled,
                    pharmacy_medicine=line.pharmacy_medicine,
                )
                for line in cart.lines
            )
            order.payment_reference = provider.start(order)
            order.save(update_fields=["payment_reference"])
            record_move(order, "", OrderStatus.PLACED, by=order.customer, action="orders.place")
            next_status = _first_status(cart)
            if settle is not None:
                next_status = settle(order)
            set_status(order, next_status, by=order.customer)
    except IntegrityError:
        # The same checkout submitted twice at once: the other request created the order.
        existing = _order_for_token(checkout_token, customer, email)
        if existing is None:
            raise
        return existing
    return order


def _guest_health(customer, health: dict | None) -> dict:
    """A guest's health answers, as the order's ``patient_*`` fields (a signed-in patient's go to their account)."""
    if not health or (customer is not None and customer.is_authenticated):
        return {}
    answer = health.get("allergy_answer", "")
    return {
        "patient_date_of_birth": health.get("date_of_birth"),
        "patient_allergy_answer": answer,
        "patient_allergies": health.get("allergies", "") if answer == "listed" else "",
        "patient_current_medicines": health.get("current_medicines", ""),
    }


def _order_for_token(checkout_token: str, customer, email: str) -> Order | None:
    """The order already placed from this checkout form, if it is this customer's (or this guest's)."""
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is None:
        return None
    customer_id = customer.pk if customer is not None and customer.is_authenticated else None
    if existing.customer_id != customer_id or (customer_id is None and existing.email.lower() != email.lower()):
        raise OrderError("This checkout form has already been used. Please start the checkout again.")
    return existing


def _first_status(cart) -> str:
    """Where a new order goes: a prescription line waits for the prescription (then the review decides every line,
    pharmacy medicines too); a pharmacy medicine (P) goes to a pharmacist's review; anything else is approved."""
    if cart.needs_prescription:
        return OrderStatus.AWAITING_PRESCRIPTION
    if any(line.pharmacy_medicine for line in cart.lines):
        return OrderStatus.IN_REVIEW
    return OrderStatus.APPROVED

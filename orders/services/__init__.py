"""Ordering rules. Views, the admin and the shell all go through these functions.

- Prices, totals and stock come from the catalogue, on the server, in one
  transaction; the client sends pack ids and quantities only.
- Stock is taken when an order is placed (rows locked on PostgreSQL, and a
  conditional UPDATE everywhere) and returned when it is rejected or cancelled.
- A prescription-only line is dispensed only against an approved, unexpired
  verified prescription item that covers it.
- An order's status moves only along ``models.TRANSITIONS``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import is_pharmacist
from catalogue.models import Pack
from catalogue.services import PrescriptionNeed, prescription_needs
from medicines.models import Interaction, LegalStatus
from medicines.services import prescription_only_guides, ruling_guides, ruling_reason
from orders.models import (
    ACTIVE,
    CUSTOMER_CANCELLABLE,
    STOCK_HELD,
    TRANSITIONS,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
)
from prescriptions import services as prescription_services

logger = logging.getLogger(__name__)

MAX_PACKS_PER_LINE = 20


class OrderError(Exception):
    """A rule refused the action; the message is meant for the person who tried it."""


class InvalidTransition(OrderError):
    pass


class OutOfStock(OrderError):
    pass


class PrescriptionNotCovering(OrderError):
    pass


# ---------------------------------------------------------------------------
# Status


def _locked(order: Order) -> Order:
    """Lock the order's row (on PostgreSQL) and bring ``order`` up to date with it."""
    list(Order.objects.select_for_update().filter(pk=order.pk).values_list("pk"))
    order.refresh_from_db()
    return order


@transaction.atomic
def set_status(order: Order, new_status: str, *, by=None, note: str = "") -> OrderEvent:
    """Move ``order`` to ``new_status`` if the transition table allows it, and record the move."""
    _locked(order)
    if new_status not in TRANSITIONS.get(order.status, set()):
        raise InvalidTransition(
            f"Order {order.number} cannot go from “{OrderStatus(order.status).label}” to "
            f"“{OrderStatus(new_status).label}”."
        )
    if new_status in (OrderStatus.APPROVED, OrderStatus.DISPENSED):
        refuse_uncovered(order, f"Order {order.number} cannot be {OrderStatus(new_status).label.lower()}")
    if new_status == OrderStatus.DISPENSED:
        if not is_pharmacist(by):
            raise PermissionDenied("Only a pharmacist can dispense an order.")
        check_not_own_order(order, by, "dispense")
    old_status = order.status
    if new_status in (OrderStatus.REJECTED, OrderStatus.CANCELLED) and old_status in STOCK_HELD:
        _release_stock(order.lines.filter(removed=False))
    order.status = new_status
    if note:
        order.status_note = note
    order.save(update_fields=["status", "status_note"])
    event = OrderEvent.objects.create(order=order, from_status=old_status, to_status=new_status, by=by, note=note)
    transaction.on_commit(lambda: _notify(order.pk, new_status, note))
    return event


def _notify(order_id: int, status: str, note: str) -> None:
    from orders.tasks import send_status_email

    try:
        send_status_email.enqueue(order_id, status, note)
    except Exception:  # a mail or queue failure never undoes an order
        logger.exception("Could not queue the status e-mail for order %s", order_id)


def _release_stock(lines) -> None:
    for line in lines.select_related("pack"):
        Pack.objects.filter(pk=line.pack_id).update(stock=F("stock") + line.quantity)


# ---------------------------------------------------------------------------
# Placing an order


@dataclass
class PricedLine:
    pack: Pack
    quantity: int
    need: PrescriptionNeed = field(default_factory=PrescriptionNeed)

    @property
    def line_total(self) -> Decimal:
        return self.pack.price * self.quantity

    @property
    def requires_prescription(self) -> bool:
        return self.need.required

    @property
    def controlled(self) -> bool:
        return self.need.controlled


@dataclass
class PricedCart:
    lines: list[PricedLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0.00"))

    @property
    def needs_prescription(self) -> bool:
        return any(line.requires_prescription for line in self.lines)


def price_lines(quantities: dict[int, int]) -> PricedCart:
    """Packs and quantities priced from the catalogue, with whether each needs a prescription (packs that are
    not sold, e.g. unknown, inactive, not approved by a pharmacist or of an unpublished guide, are left out)."""
    packs = Pack.objects.sellable().filter(pk__in=quantities).select_related("product__medicine")
    by_id = {pack.pk: pack for pack in packs}
    needs = prescription_needs({pack.product for pack in packs})
    return PricedCart(
        [
            PricedLine(by_id[pack_id], quantity, needs[by_id[pack_id].product_id])
            for pack_id, quantity in quantities.items()
            if pack_id in by_id
        ]
    )


def check_quantities(quantities: dict[int, int]) -> None:
    if not quantities:
        raise ValidationError("Your cart is empty.")
    for quantity in quantities.values():
        if not isinstance(quantity, int) or not 1 <= quantity <= MAX_PACKS_PER_LINE:
            raise ValidationError(f"Choose between 1 and {MAX_PACKS_PER_LINE} packs of each item.")


def check_controlled(cart: PricedCart) -> None:
    """Controlled medicines: refused unless the operator sells them online, then limited per order."""
    controlled = [line for line in cart.lines if line.controlled]
    if not controlled:
        return
    names = ", ".join(sorted({line.pack.product.medicine.title for line in controlled}))
    if not settings.SELL_CONTROLLED_ONLINE:
        raise OrderError(
            f"{names} is a controlled medicine ({controlled[0].pack.product.medicine.legal_status_label}). "
            "This pharmacy does not supply controlled medicines online: "
            "please take your prescription to a pharmacy in person."
        )
    if sum(line.quantity for line in controlled) > settings.CONTROLLED_MAX_PACKS_PER_ORDER:
        raise OrderError(
            f"{names}: a controlled medicine, at most {settings.CONTROLLED_MAX_PACKS_PER_ORDER} pack(s) per order."
        )


def place_order(
    *,
    quantities: dict[int, int],
    customer,
    email: str,
    address: dict[str, str],
    payment_method: str,
    checkout_token: str,
) -> Order:
    """Place an order from pack ids and quantities; the same ``checkout_token`` always gives the same order.

    In one transaction: price every line from the catalogue, take the stock
    (refusing with OutOfStock if a pack has too little), create the order and
    move it to "awaiting prescription" or "approved".
    """
    from orders.payments import get_provider

    existing = _order_for_token(checkout_token, customer, email)
    if existing is not None:
        return existing
    check_quantities(quantities)
    provider = get_provider(payment_method)
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
                total=cart.total,
                **address,
            )
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
                )
                for line in cart.lines
            )
            OrderEvent.objects.create(order=order, to_status=OrderStatus.PLACED, by=order.customer)
            order.payment_reference = provider.start(order)
            order.save(update_fields=["payment_reference"])
            next_status = OrderStatus.AWAITING_PRESCRIPTION if cart.needs_prescription else OrderStatus.APPROVED
            set_status(order, next_status, by=order.customer)
    except IntegrityError:
        # The same checkout submitted twice at once: the other request created the order.
        existing = _order_for_token(checkout_token, customer, email)
        if existing is None:
            raise
        return existing
    return order


def _order_for_token(checkout_token: str, customer, email: str) -> Order | None:
    """The order already placed from this checkout form, if it is this customer's (or this guest's)."""
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is None:
        return None
    customer_id = customer.pk if customer is not None and customer.is_authenticated else None
    if existing.customer_id != customer_id or (customer_id is None and existing.email.lower() != email.lower()):
        raise OrderError("This checkout form has already been used. Please start the checkout again.")
    return existing


@transaction.atomic
def cancel(order: Order, *, by=None, reason: str = "") -> OrderEvent:
    """Cancel an order (staff); its stock goes back on the shelf."""
    return set_status(order, OrderStatus.CANCELLED, by=by, note=reason)


@transaction.atomic
def cancel_by_customer(order: Order, *, by=None) -> OrderEvent:
    """The customer cancels their own order: only until a pharmacist has approved it."""
    _locked(order)
    if order.status not in CUSTOMER_CANCELLABLE:
        raise OrderError(
            f"Order {order.number} can no longer be cancelled online ({order.get_status_display()}). "
            "Please contact the pharmacy."
        )
    return set_status(order, OrderStatus.CANCELLED, by=by, note="Cancelled by the customer")


# ---------------------------------------------------------------------------
# Prescriptions and the pharmacist's review


@transaction.atomic
def attach_prescription(order: Order, prescription) -> Order:
    """The patient's prescription for ``order``: the order goes to the pharmacist's queue."""
    if prescription.patient_id != order.customer_id:
        raise PermissionDenied("This prescription belongs to another patient.")
    order.prescription = prescription
    order.save(update_fields=["prescription"])
    set_status(order, OrderStatus.IN_REVIEW, by=order.customer)
    return order


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


@transaction.atomic
def review_order(
    order: Order,
    pharmacist,
    *,
    approve_line_ids: list[int],
    reason: str = "",
    override_reason: str = "",
    issued_on: date | None = None,
    valid_until: date | None = None,
    checks: list[str] | None = None,
):
    """The pharmacist's decision on an order in review: approve some or all prescription lines, or reject.

    Approved lines get a verified prescription item that covers them. Lines not
    approved are removed from the order and their stock returned. Approving
    despite a severe warning (an allergy, a major or contraindicated
    interaction) needs a written override reason. Returns the logged decision.
    """
    prescription_services.require_pharmacist(pharmacist)
    _locked(order)
    check_not_own_order(order, pharmacist, "review")
    if order.status != OrderStatus.IN_REVIEW or order.prescription is None:
        raise OrderError(f"Order {order.number} is not waiting for a pharmacist's review.")
    rx_lines = prescription_lines(order)
    unknown = set(approve_line_ids) - {line.pk for line in rx_lines}
    if unknown:
        raise ValidationError("Only this order's prescription lines can be approved.")
    approved = [line for line in rx_lines if line.pk in set(approve_line_ids)]
    removed = [line for line in rx_lines if line not in approved]
    warnings: list[SafetyWarning] = []
    validity: dict[int, date] = {}
    if approved:
        issued_on = issued_on or order.prescription.issued_on
        validity = _validity(approved, issued_on, valid_until)
        # Everything the patient will receive: the approved lines and the order's other (non-prescription) lines.
        remaining = order.lines.filter(removed=False).exclude(pk__in=[line.pk for line in removed])
        warnings = safety_checks(order, lines=remaining.select_related("pack__product__medicine"))
        severe = [w for w in warnings if w.severe]
        if severe and not override_reason.strip():
            raise ValidationError(
                "Approving despite a severe warning needs a written override reason: "
                + " ".join(w.message for w in severe)
            )
        _check_controlled_prescription(order, approved, issued_on)
    decision, items = prescription_services.record_decision(
        order.prescription,
        pharmacist,
        approved_items=[(line.pack.product, line.units, validity[line.pk]) for line in approved],
        reason=reason,
        override_reason=override_reason,
        issued_on=issued_on,
        details={
            "order": order.number,
            "approved_lines": [line.description for line in approved],
            "removed_lines": [line.description for line in removed],
            "partial": bool(approved) and bool(removed),
            "warnings": [w.message for w in warnings],
            "checks": list(checks or []),
        },
    )
    for line, item in zip(approved, items, strict=True):
        line.prescription_item = item
        line.save(update_fields=["prescription_item"])
    if not approved:
        set_status(order, OrderStatus.REJECTED, by=pharmacist, note=reason.strip())
        return decision
    if removed:
        ids = [line.pk for line in removed]
        _release_stock(order.lines.filter(pk__in=ids))
        order.lines.filter(pk__in=ids).update(removed=True)
        order.total = sum((line.line_total for line in order.lines.filter(removed=False)), Decimal("0.00"))
        order.save(update_fields=["total"])
    set_status(order, OrderStatus.APPROVED, by=pharmacist, note=reason.strip())
    return decision


def _validity(lines: list[OrderLine], issued_on: date | None, valid_until: date | None) -> dict[int, date]:
    """Until when each approved line may be dispensed.

    A prescription is valid for ``PRESCRIPTION_VALID_DAYS`` from the date written
    on it (``CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS`` for a controlled medicine);
    the pharmacist may shorten that, never extend it, and cannot approve one
    that has already expired or is dated in the future.
    """
    today = timezone.localdate()
    if issued_on is None:
        if any(line.controlled for line in lines):
            limit = settings.CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS
            raise ValidationError(
                f"A controlled medicine needs a prescription dated within the last {limit} days: record its date."
            )
        raise ValidationError("Record the date written on the prescription before approving it.")
    if issued_on > today:
        raise ValidationError("The prescription's date is in the future: check the date written on it.")
    validity = {}
    for line in lines:
        days = settings.CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS if line.controlled else settings.PRESCRIPTION_VALID_DAYS
        latest = issued_on + timedelta(days=days)
        until = min(valid_until, latest) if valid_until else latest
        if until < today and line.controlled:
            raise ValidationError(
                f"{line.description}: a controlled medicine needs a prescription dated within the last {days} days; "
                f"this one is dated {issued_on:%d %b %Y}."
            )
        if until < today:
            raise ValidationError(
                f"The prescription has expired for {line.description}: dated {issued_on:%d %b %Y}, "
                f"valid for {days} days."
            )
        validity[line.pk] = until
    return validity


def _check_controlled_prescription(order: Order, lines: list[OrderLine], issued_on: date | None) -> None:
    if not any(line.controlled for line in lines):
        return
    if not settings.SELL_CONTROLLED_ONLINE:
        raise OrderError("Controlled medicines are not supplied online (SELL_CONTROLLED_ONLINE is off).")
    issued_on = issued_on or order.prescription.issued_on
    limit = settings.CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS
    if issued_on is None or (timezone.localdate() - issued_on).days > limit:
        raise ValidationError(
            f"A controlled medicine needs a prescription dated within the last {limit} days: record its date."
        )


# ---------------------------------------------------------------------------
# Dispensing and after


def prescription_lines(order: Order) -> list[OrderLine]:
    """The order's lines (not removed) that need a prescription, each with ``prescription_reason`` set.

    A line needs one when it was ordered as a prescription medicine, when its product needs one now, or when a
    live guide makes an active ingredient recorded on the line prescription-only, whatever the line says (the
    dispensing check's defence in depth against a product moved to another guide).
    """
    lines = list(
        order.lines.filter(removed=False).select_related("pack__product__medicine", "prescription_item__prescription")
    )
    needs = prescription_needs({line.pack.product for line in lines})
    ruling = prescription_only_guides(frozenset().union(*(line.ingredients for line in lines)))
    found = []
    for line in lines:
        need, guides = needs[line.pack.product_id], ruling_guides(line.ingredients, ruling)
        line.prescription_reason = (
            ("ordered as a prescription medicine" if line.requires_prescription else "")
            or need.reason
            or ruling_reason(line.ingredients, guides)
        )
        # Controlled now, if it was when ordered or has become so since (in memory: the checks use it).
        line.controlled = (
            line.controlled or need.controlled or any(guide.legal_status == LegalStatus.CONTROLLED for guide in guides)
        )
        if line.prescription_reason:
            found.append(line)
    return found


def uncovered_lines(order: Order, on: date | None = None) -> list[OrderLine]:
    """Lines that need a prescription (``prescription_lines``) with no approved, unexpired verified item that
    covers them."""
    return [
        line
        for line in prescription_lines(order)
        if line.prescription_item is None
        or line.prescription_item.prescription.patient_id != order.customer_id
        or not line.prescription_item.covers(line.pack.product, line.units, on=on)
    ]


def refuse_uncovered(order: Order, refusal: str) -> None:
    """Raise ``PrescriptionNotCovering`` ("<refusal>: …") when a line that needs a prescription is not covered, or
    is a controlled medicine while the pharmacy does not supply them online (it may have become one since)."""
    if not settings.SELL_CONTROLLED_ONLINE:
        controlled = [line for line in prescription_lines(order) if line.controlled]
        if controlled:
            raise PrescriptionNotCovering(
                f"{refusal}: {'; '.join(describe_line(line) for line in controlled)} is a controlled medicine, and "
                "this pharmacy does not supply controlled medicines online (SELL_CONTROLLED_ONLINE is off)."
            )
    missing = uncovered_lines(order)
    if missing:
        raise PrescriptionNotCovering(
            f"{refusal}: no approved, unexpired prescription covers "
            + "; ".join(f"{describe_line(line)} ({line.prescription_reason})" for line in missing)
            + ". A prescription-only medicine is dispensed only against a prescription a pharmacist has approved."
        )


def describe_line(line: OrderLine) -> str:
    """ "Tizanidine 2 mg tablet — 30 tablets (SKU TIZ-2-30; tizanidine hydrochloride 2 mg)"."""
    details = "; ".join(part for part in (f"SKU {line.sku}" if line.sku else "", _ingredient_strength(line)) if part)
    return f"{line.description}, {details}" if details else line.description


def _ingredient_strength(line: OrderLine) -> str:
    return " ".join(part for part in (line.active_ingredients, line.strength) if part)


def mailbox(email: str) -> str:
    """The mailbox an address reaches: "Sam+shop@Example.com" and "sam@example.com" are one."""
    local, _, domain = (email or "").strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else ""


def check_not_own_order(order: Order, pharmacist, action: str) -> None:
    """A pharmacist never reviews or dispenses an order they placed themselves: by their account, or by an address
    that reaches their mailbox (the order's or its account's)."""
    addresses = {mailbox(order.email), mailbox(order.customer.email) if order.customer_id else ""} - {""}
    own = order.customer_id == pharmacist.pk or mailbox(pharmacist.email) in addresses
    if own:
        raise OrderError(
            f"Order {order.number} is your own: a pharmacist cannot {action} an order they placed. "
            "Another pharmacist must do it."
        )


@transaction.atomic
def dispense(order: Order, pharmacist) -> OrderEvent:
    """Mark an approved order dispensed: refused unless every prescription line is covered."""
    if not is_pharmacist(pharmacist):
        raise PermissionDenied("Only a pharmacist can dispense an order.")
    _locked(order)
    check_not_own_order(order, pharmacist, "dispense")
    refuse_uncovered(order, "Cannot dispense")
    return set_status(order, OrderStatus.DISPENSED, by=pharmacist)


@transaction.atomic
def ship(order: Order, *, by, tracking_number: str) -> OrderEvent:
    if not tracking_number.strip():
        raise ValidationError("Enter the tracking number.")
    order.tracking_number = tracking_number.strip()
    order.save(update_fields=["tracking_number"])
    return set_status(order, OrderStatus.SHIPPED, by=by, note=f"Tracking number {order.tracking_number}")


def deliver(order: Order, *, by) -> OrderEvent:
    return set_status(order, OrderStatus.DELIVERED, by=by)


def refund(order: Order, *, by, note: str = "") -> OrderEvent:
    return set_status(order, OrderStatus.REFUNDED, by=by, note=note)


@transaction.atomic
def install_pharmacy_permissions() -> None:
    """Pharmacists review, dispense and manage orders and see prescriptions; Dispatch staff ship them. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    grants = {
        "Pharmacists": [
            "view_order",
            "change_order",
            "review_order",
            "dispense_order",
            "view_prescription",
            "view_prescriptiondecision",
        ],
        "Dispatch": ["view_order", "change_order"],
    }
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            admin_access,
            *Permission.objects.filter(content_type__app_label__in=["orders", "prescriptions"], codename__in=codenames),
        )


def allowed_transitions(order: Order) -> list[str]:
    return sorted(TRANSITIONS.get(order.status, set()))

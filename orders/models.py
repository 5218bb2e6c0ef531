"""Orders: what a customer bought, at what price, and where it is in its life.

An order's status moves only along ``TRANSITIONS`` (through
``orders.services.set_status``); every change is kept in ``OrderEvent``.
Prices are copied from the catalogue onto the lines when the order is placed.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apothecary.core.text import refuse_invisible_characters


class OrderStatus(models.TextChoices):
    PLACED = "placed", "Placed"
    AWAITING_PRESCRIPTION = "awaiting_prescription", "Awaiting prescription"
    IN_REVIEW = "in_review", "In pharmacist review"
    ON_HOLD = "on_hold", "On hold: waiting for the patient"
    AWAITING_PRESCRIBER = "awaiting_prescriber", "Waiting for the prescriber"
    APPROVED = "approved", "Approved"
    DISPENSED = "dispensed", "Dispensed"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


S = OrderStatus
# The only moves an order can make. Anything else is refused by services.set_status.
TRANSITIONS: dict[str, set[str]] = {
    S.PLACED: {S.AWAITING_PRESCRIPTION, S.IN_REVIEW, S.APPROVED, S.CANCELLED},
    S.AWAITING_PRESCRIPTION: {S.IN_REVIEW, S.CANCELLED},
    S.IN_REVIEW: {S.APPROVED, S.REJECTED, S.CANCELLED, S.ON_HOLD, S.AWAITING_PRESCRIBER},
    # The pharmacist asked the patient (or the prescriber) something; the answer brings it back to review.
    S.ON_HOLD: {S.IN_REVIEW, S.REJECTED, S.CANCELLED},
    S.AWAITING_PRESCRIBER: {S.IN_REVIEW, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.DISPENSED, S.CANCELLED},
    S.DISPENSED: {S.SHIPPED},
    S.SHIPPED: {S.DELIVERED},
    S.DELIVERED: {S.REFUNDED},
    S.REJECTED: {S.REFUNDED},
    S.CANCELLED: {S.REFUNDED},
    S.REFUNDED: set(),
}
# Leaving these statuses for rejected or cancelled returns the order's stock to the shelf.
# Orders a pharmacist is still deciding on (the review queue and its "waiting" panels).
UNDER_REVIEW = {S.IN_REVIEW, S.ON_HOLD, S.AWAITING_PRESCRIBER}
STOCK_HELD = {S.PLACED, S.AWAITING_PRESCRIPTION, *UNDER_REVIEW, S.APPROVED}
# Orders not yet dispensed: the patient's "other open orders" for screening.
OPEN = {S.PLACED, S.AWAITING_PRESCRIPTION, *UNDER_REVIEW, S.APPROVED}
# Orders still "active" for a patient's interaction checks.
ACTIVE = {*OPEN, S.DISPENSED, S.SHIPPED}


# A customer may cancel their own order until a pharmacist has approved it.
CUSTOMER_CANCELLABLE = {S.PLACED, S.AWAITING_PRESCRIPTION, *UNDER_REVIEW}
# Once in one of these, the order is not paid for (or no longer): no payment instructions.
UNPAID = {S.CANCELLED, S.REJECTED, S.REFUNDED}
# The customer has a tracking number to follow.
TRACKED = {S.SHIPPED, S.DELIVERED}
ORDER_KEY_SALT = "orders.guest-order-link"


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", "Not paid"
    PAID = "paid", "Paid"
    REFUNDED = "refunded", "Refunded"


def order_key(number: str) -> str:
    """The signature that opens a guest's order page: ``/orders/<number>/?key=<order_key>``."""
    return signing.Signer(salt=ORDER_KEY_SALT).signature(number)


def new_order_number() -> str:
    return "AP-" + secrets.token_hex(6).upper()


class OrderQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(status=OrderStatus.IN_REVIEW)

    def with_status(self, *statuses):
        return self.filter(status__in=statuses)

    def active(self):
        return self.filter(status__in=ACTIVE)

    def for_customer(self, user):
        return self.filter(customer=user)


class Order(models.Model):
    number = models.CharField(max_length=20, unique=True, default=new_order_number, editable=False)
    checkout_token = models.CharField(
        max_length=64, unique=True, help_text="One per checkout form: a repeated submit finds the same order."
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    email = models.EmailField()
    full_name = models.CharField(max_length=120, validators=[refuse_invisible_characters])
    line1 = models.CharField("address line 1", max_length=200)
    line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postcode = models.CharField("postcode / ZIP", max_length=20)
    region = models.CharField("state, county or region", max_length=100, blank=True)
    country = models.CharField(max_length=100)
    phone = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=30, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    payment_method = models.CharField(max_length=40)
    payment_reference = models.CharField(max_length=60, blank=True)
    payment_status = models.CharField(max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID)
    paid_at = models.DateTimeField(null=True, blank=True, editable=False)
    payment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    refund_reference = models.CharField(
        max_length=80, blank=True, help_text="The payment provider's reference of the refund."
    )
    # The shipping method chosen at checkout (``settings.SHIPPING_METHODS``), as it was then; its cost is in the total.
    shipping_method = models.CharField(max_length=40, blank=True)
    shipping_label = models.CharField(max_length=100, blank=True)
    shipping_estimate = models.CharField(max_length=100, blank=True)
    shipping_cost = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2, help_text="The lines and the shipping.")
    prescription = models.ForeignKey(
        "prescriptions.Prescription", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    tracking_number = models.CharField(max_length=80, blank=True)
    carrier = models.ForeignKey("orders.Carrier", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A guest's health details as given at checkout (a signed-in patient's are on their account).
    patient_date_of_birth = models.DateField(null=True, blank=True)
    patient_allergy_answer = models.CharField(max_length=10, blank=True, help_text="As accounts.AllergyAnswer.")
    patient_allergies = models.TextField(blank=True)
    patient_current_medicines = models.TextField(blank=True)
    health_answers = models.JSONField(
        default=list,
        blank=True,
        help_text="A pharmacy medicine's questionnaire as answered at checkout: "
        "[{product, questions: [{question, answer}]}].",
    )
    reorder_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reorders",
        help_text="The order this one repeats (a reorder against a repeat prescription).",
    )
    status_note = models.TextField(blank=True, help_text="The latest reason given to the patient (e.g. a rejection).")
    retained_until = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the customer deleted their account: the order is kept as a pharmacy record until then.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_not_negative")]
        permissions = [
            ("review_order", "Can review prescriptions for orders (pharmacist)"),
            ("dispense_order", "Can dispense orders (pharmacist)"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        """The order page; a guest's order carries its signed key."""
        url = reverse("orders:detail", args=[self.number])
        if self.customer_id is None:
            url += f"?key={order_key(self.number)}"
        return url

    @property
    def retention_note(self) -> str:
        """For an order kept after its customer deleted their account: that it is kept, until when, and why."""
        if not self.retained_until:
            return ""
        return f"Retained pharmacy record until {self.retained_until:%d %b %Y}: the customer deleted their account."

    # What the templates and views ask of the status (never a status literal in a template).

    @property
    def awaiting_prescription(self) -> bool:
        return self.status == OrderStatus.AWAITING_PRESCRIPTION

    @property
    def in_review(self) -> bool:
        return self.status == OrderStatus.IN_REVIEW

    @property
    def customer_can_cancel(self) -> bool:
        """The customer may cancel it themselves: until a pharmacist has approved it."""
        return self.status in CUSTOMER_CANCELLABLE

    @property
    def payment_due(self) -> bool:
        """Whether the payment instructions still apply (not cancelled, rejected or refunded)."""
        return self.status not in UNPAID

    @property
    def payment_state(self) -> str:
        """For the patient: "Paid", "Refunded", "Awaiting payment" (while payment is due), or ""."""
        if self.payment_status == PaymentStatus.PAID:
            return "Paid"
        if self.payment_status == PaymentStatus.REFUNDED:
            return "Refunded"
        return "Awaiting payment" if self.payment_due else ""

    @property
    def is_final(self) -> bool:
        """No move is left for this order (``TRANSITIONS``)."""
        return not TRANSITIONS.get(self.status)

    @property
    def rejection_note(self) -> str:
        """Why a pharmacist could not approve the order, for a rejected order ("" otherwise)."""
        return self.status_note if self.status == OrderStatus.REJECTED else ""

    @property
    def shown_tracking_number(self) -> str:
        """The tracking number, once the order is shipped ("" before)."""
        return self.tracking_number if self.status in TRACKED else ""

    @property
    def tracking_link(self) -> str:
        """The carrier's tracking page of this parcel, once shipped ("" before, or without a carrier)."""
        if not self.shown_tracking_number or self.carrier is None:
            return ""
        return self.carrier.tracking_link(self.tracking_number)

    @property
    def lines_total(self):
        """What the lines cost (the total less the shipping)."""
        return self.total - self.shipping_cost

    @property
    def needs_prescription(self) -> bool:
        return any(line.requires_prescription for line in self.lines.all() if not line.removed)

    @property
    def address_lines(self) -> list[str]:
        return [
            part
            for part in (
                self.full_name,
                self.line1,
                self.line2,
                " ".join(part for part in (", ".join(p for p in (self.city, self.region) if p), self.postcode) if part),
                self.country,
            )
            if part
        ]


class OrderLine(models.Model):
    """A pack bought: its price copied from the catalogue, and the verified prescription item that covers it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    pack = models.ForeignKey("catalogue.Pack", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    # What was bought, as it was when ordered: shown on every order screen, whatever the catalogue says later.
    sku = models.CharField("SKU", max_length=40, blank=True)
    active_ingredients = models.CharField(max_length=255, blank=True)
    strength = models.CharField(max_length=50, blank=True)
    unit_price = models.DecimalField("price per pack", max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField(help_text="Packs.")
    line_total = models.DecimalField(max_digits=12, decimal_places=2)
    requires_prescription = models.BooleanField(default=False)
    controlled = models.BooleanField(default=False)
    pharmacy_medicine = models.BooleanField(
        default=False, help_text="A pharmacy medicine (P): sold only after a pharmacist approves the order."
    )
    prescription_item = models.ForeignKey(
        "prescriptions.PrescriptionItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
        help_text="The verified prescription item this line is one issue of (a repeat has several).",
    )
    pharmacist_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a pharmacy medicine: the pharmacist who approved its sale.",
    )
    pharmacist_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    directions = models.CharField(
        max_length=255, blank=True, help_text="For the label, e.g. “Take one tablet three times a day”."
    )
    batch_number = models.CharField(max_length=40, blank=True, help_text="Recorded when dispensed.")
    expiry_date = models.DateField(null=True, blank=True, help_text="Of the batch dispensed.")
    removed = models.BooleanField(default=False, help_text="Not approved by the pharmacist: not sent, not charged.")

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_line_quantity")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"

    @property
    def units(self) -> int:
        return self.quantity * self.pack.units

    @property
    def ingredients(self) -> frozenset[str]:
        from medicines.ingredients import ingredient_set

        return ingredient_set(self.active_ingredients)


class OrderEvent(models.Model):
    """One step in an order's history: the move, who made it and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=30, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=OrderStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order}: {self.from_status or '—'} → {self.to_status}"


class OrderNote(models.Model):
    """A pharmacist's or the staff's internal note on an order: never shown or sent to the patient."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.order} by {self.author}"


class PatientQuery(models.Model):
    """A pharmacist's question to the patient while the order is on hold, and the patient's answer."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="queries")
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name_plural = "patient queries"

    def __str__(self) -> str:
        return f"Question on {self.order}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class Carrier(models.Model):
    """A delivery company: its tracking page, with ``{tracking}`` where the tracking number goes."""

    name = models.CharField(max_length=80, unique=True)
    tracking_url = models.URLField(max_length=300, help_text="e.g. https://tracking.example/track?number={tracking}")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def tracking_link(self, tracking_number: str) -> str:
        from urllib.parse import quote

        return self.tracking_url.replace("{tracking}", quote(tracking_number, safe=""))

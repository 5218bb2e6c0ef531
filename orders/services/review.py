"""The pharmacist's review: the patient's prescription joins the order, then a pharmacist approves some or all of
its prescription lines (each gets a verified prescription item that covers it) and pharmacy-medicine lines, or
rejects it; or, before deciding, asks the patient (the order is on hold until they answer) or the prescriber.
Internal notes stay with the order and are never sent."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from wagtail.log_actions import log

from apothecary.core.roles import is_pharmacist
from orders.models import Order, OrderLine, OrderNote, OrderStatus, PatientQuery, order_key
from orders.services.coverage import prescription_lines
from orders.services.errors import OrderError
from orders.services.health import require_health_details
from orders.services.ownership import check_not_own_order
from orders.services.safety import SafetyWarning, safety_checks
from orders.services.status import locked, release_stock, set_status
from prescriptions import services as prescription_services


@transaction.atomic
def attach_prescription(order: Order, prescription) -> Order:
    """The patient's prescription for ``order``: the order goes to the pharmacist's queue."""
    if prescription.patient_id != order.customer_id:
        raise PermissionDenied("This prescription belongs to another patient.")
    order.prescription = prescription
    order.save(update_fields=["prescription"])
    set_status(order, OrderStatus.IN_REVIEW, by=order.customer, action="orders.attach_prescription")
    return order


# What a pharmacist confirms before approving a pharmacy medicine (P): the questionnaire review, not the
# prescription checklist. (name, label, help), in the order they check it.
P_CHECKLIST = [
    ("p_answers_read", "Answers read", "You have read the answers to the questionnaire for each pharmacy medicine."),
    (
        "p_suitable",
        "Suitable for the person named",
        "The medicine is suitable for the person it is for: their age, other medicines and conditions.",
    ),
    ("p_quantity", "Quantity appropriate", "The quantity ordered is appropriate for the use described."),
]
P_CHECK_NAMES = [name for name, _label, _help in P_CHECKLIST]


def pharmacy_lines(order: Order, rx_lines: list[OrderLine] | None = None) -> list[OrderLine]:
    """The order's pharmacy-medicine (P) lines (not removed) that are not prescription lines: a pharmacist approves
    them on the questionnaire's answers."""
    rx_ids = {line.pk for line in (prescription_lines(order) if rx_lines is None else rx_lines)}
    return [
        line
        for line in order.lines.filter(removed=False, pharmacy_medicine=True).select_related("pack__product__medicine")
        if line.pk not in rx_ids
    ]


@transaction.atomic
def review_order(
    order: Order,
    pharmacist,
    *,
    approve_line_ids: list[int],
    valid_until: date | None = None,
    internal_note: str = "",
    directions: dict[int, str] | None = None,
    p_checks=(),
    **fields,
):
    """The pharmacist's decision on an order in review: approve some or all of its prescription and pharmacy-medicine
    lines, or reject, with what the pharmacist wrote (``prescriptions.services.DecisionFields``: the note to the
    patient is ``reason``, e-mailed and shown on their order page).

    Approved prescription lines get a verified prescription item that covers them (with the prescriber's
    ``directions``, by line id, also copied to the line for its label); approved pharmacy-medicine lines record
    the pharmacist who approved them. Lines not approved are removed from the order and their stock returned.
    Approving a prescription line needs every point of the pharmacist's checklist named in ``checks``
    (``prescriptions.services.CHECKLIST``) and the prescriber's name and registration number; approving a
    pharmacy-medicine line needs ``P_CHECKLIST`` in ``p_checks``; despite a severe warning (an allergy, a major or
    contraindicated interaction) a written override reason. ``internal_note`` is kept as an ``OrderNote`` and
    never sent. Returns the logged prescription decision (None for an order without a prescription).
    """
    written = prescription_services.DecisionFields(**fields)
    reason, override_reason, issued_on = written.reason, written.override_reason, written.issued_on
    directions = directions or {}
    prescription_services.require_pharmacist(pharmacist)
    locked(order)
    check_not_own_order(order, pharmacist, "review")
    rx_lines = prescription_lines(order)
    p_lines = pharmacy_lines(order, rx_lines)
    if order.status != OrderStatus.IN_REVIEW or (rx_lines and order.prescription is None) or not (rx_lines or p_lines):
        raise OrderError(f"Order {order.number} is not waiting for a pharmacist's review.")
    decidable = rx_lines + p_lines
    unknown = set(approve_line_ids) - {line.pk for line in decidable}
    if unknown:
        raise ValidationError("Only this order's prescription lines (and its pharmacy-medicine lines) can be approved.")
    approved = [line for line in decidable if line.pk in set(approve_line_ids)]
    approved_rx = [line for line in approved if line in rx_lines]
    approved_p = [line for line in approved if line in p_lines]
    removed = [line for line in decidable if line not in approved]
    warnings: list[SafetyWarning] = []
    validity: dict[int, date] = {}
    if not approved and not reason.strip():
        raise ValidationError("Give the patient a reason for the rejection.")
    if approved:
        require_health_details(order)
        if approved_rx:
            issued_on = issued_on or order.prescription.issued_on
            validity = _validity(approved_rx, issued_on, valid_until)
        if approved_p:
            prescription_services.require_checklist(p_checks, P_CHECKLIST, "A pharmacy medicine")
        # Everything the patient will receive: the approved lines and the order's other (non-prescription) lines.
        remaining = order.lines.filter(removed=False).exclude(pk__in=[line.pk for line in removed])
        warnings = safety_checks(order, lines=remaining.select_related("pack__product__medicine"))
        severe = [w for w in warnings if w.severe]
        if severe and not override_reason.strip():
            raise ValidationError(
                "Approving despite a severe warning needs a written override reason: "
                + " ".join(w.message for w in severe)
            )
        _check_controlled_prescription(order, approved_rx, issued_on)
    details = {
        "order": order.number,
        "approved_lines": [line.description for line in approved],
        "removed_lines": [line.description for line in removed],
        "partial": bool(approved) and bool(removed),
        "warnings": [w.message for w in warnings],
        "checks": prescription_services.confirmed_checks(written.checks) if approved_rx else [],
        "pharmacy_checks": [label for name, label, _help in P_CHECKLIST if name in p_checks] if approved_p else [],
    }
    decision = None
    if rx_lines:
        decision, items = prescription_services.record_decision(
            order.prescription,
            pharmacist,
            approved_items=[
                (line.pack.product, line.units, validity[line.pk], directions.get(line.pk, "")) for line in approved_rx
            ],
            **asdict(replace(written, issued_on=issued_on)),
            details=details,
        )
        for line, item in zip(approved_rx, items, strict=True):
            line.prescription_item = item
            line.directions = item.directions
            line.save(update_fields=["prescription_item", "directions"])
    now = timezone.now()
    for line in approved:
        if line.pharmacy_medicine:
            line.pharmacist_approved_by, line.pharmacist_approved_at = pharmacist, now
            if line in approved_p:
                line.directions = directions.get(line.pk, "").strip()[:255]
            line.save(update_fields=["pharmacist_approved_by", "pharmacist_approved_at", "directions"])
    if internal_note.strip():
        add_internal_note(order, pharmacist, internal_note)
    logged = {
        "decision": decision.pk if decision else None,
        "kind": decision.decision if decision else "",
        **details,
        # Kept on the prescription decision too; for an order without a prescription, the log is its record.
        "override_reason": override_reason.strip(),
    }
    if not approved:
        set_status(
            order, OrderStatus.REJECTED, by=pharmacist, note=reason.strip(), action="orders.reject", log_data=logged
        )
        return decision
    if removed:
        ids = [line.pk for line in removed]
        release_stock(order.lines.filter(pk__in=ids))
        order.lines.filter(pk__in=ids).update(removed=True)
        lines = sum((line.line_total for line in order.lines.filter(removed=False)), Decimal("0.00"))
        order.total = lines + order.shipping_cost
        order.save(update_fields=["total"])
    set_status(
        order, OrderStatus.APPROVED, by=pharmacist, note=reason.strip(), action="orders.approve", log_data=logged
    )
    return decision


# ---------------------------------------------------------------------------
# Asking before deciding: the patient (the order is on hold) or the prescriber; and internal notes


def _require_reviewable(order: Order, pharmacist, status: str, doing: str) -> None:
    prescription_services.require_pharmacist(pharmacist)
    locked(order)
    check_not_own_order(order, pharmacist, "review")
    if order.status != status:
        raise OrderError(
            f"Order {order.number} is “{order.get_status_display()}”: only an order "
            f"“{OrderStatus(status).label}” can {doing}."
        )


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


@transaction.atomic
def hold_for_patient(order: Order, pharmacist, question: str) -> PatientQuery:
    """Put an order in review on hold with a question to the patient: they are e-mailed it and answer on their
    order page (``answer_query``)."""
    question = _required_text(question, "Write the question for the patient.")
    _require_reviewable(order, pharmacist, OrderStatus.IN_REVIEW, "be put on hold")
    query = PatientQuery.objects.create(order=order, question=question, asked_by=pharmacist)
    set_status(
        order, OrderStatus.ON_HOLD, by=pharmacist, note=question, action="orders.hold", log_data={"query": query.pk}
    )
    return query


def may_answer(order: Order, *, by=None, guest_key: str = "") -> bool:
    """The order's customer (logged in), or for a guest's order whoever holds its signed key."""
    if order.customer_id is not None:
        return bool(by is not None and by.is_authenticated and by.pk == order.customer_id)
    return bool(guest_key) and constant_time_compare(guest_key, order_key(order.number))


@transaction.atomic
def answer_query(order: Order, answer: str, *, by=None, guest_key: str = "") -> PatientQuery:
    """The patient answers the pharmacist's question: the answer is kept with it and the order goes back to review."""
    answer = _required_text(answer, "Write your answer to the pharmacist's question.")
    if not may_answer(order, by=by, guest_key=guest_key):
        raise PermissionDenied("Only the patient who placed the order can answer the pharmacist.")
    locked(order)
    query = order.queries.filter(answered_at__isnull=True).last()
    if order.status != OrderStatus.ON_HOLD or query is None:
        raise OrderError(f"Order {order.number} is not waiting for your answer.")
    query.answer, query.answered_at = answer, timezone.now()
    query.save(update_fields=["answer", "answered_at"])
    customer = by if by is not None and by.is_authenticated else None
    set_status(order, OrderStatus.IN_REVIEW, by=customer, action="orders.answer", log_data={"query": query.pk})
    return query


@transaction.atomic
def await_prescriber(order: Order, pharmacist, note: str) -> OrderNote:
    """The pharmacist contacts the prescriber: the order waits for them, with an internal note of what was asked
    (never sent to the patient)."""
    note = _required_text(note, "Write what you asked the prescriber.")
    _require_reviewable(order, pharmacist, OrderStatus.IN_REVIEW, "wait for the prescriber")
    kept = OrderNote.objects.create(order=order, author=pharmacist, text=f"Asked the prescriber: {note}")
    set_status(
        order,
        OrderStatus.AWAITING_PRESCRIBER,
        by=pharmacist,
        action="orders.await_prescriber",
        log_data={"note": kept.pk},
    )
    return kept


@transaction.atomic
def prescriber_replied(order: Order, pharmacist, note: str) -> OrderNote:
    """The prescriber answered: the order is back in review, with an internal note of the answer."""
    note = _required_text(note, "Write what the prescriber said.")
    _require_reviewable(order, pharmacist, OrderStatus.AWAITING_PRESCRIBER, "record the prescriber's reply")
    kept = OrderNote.objects.create(order=order, author=pharmacist, text=f"The prescriber replied: {note}")
    set_status(
        order, OrderStatus.IN_REVIEW, by=pharmacist, action="orders.prescriber_replied", log_data={"note": kept.pk}
    )
    return kept


def may_write_notes(user) -> bool:
    """Pharmacists and the staff who may change orders."""
    return bool(
        user is not None and user.is_authenticated and (is_pharmacist(user) or user.has_perm("orders.change_order"))
    )


def add_internal_note(order: Order, author, text: str) -> OrderNote:
    """An internal note on the order (staff only: never e-mailed, never on the patient's page), in the admin's log."""
    if not may_write_notes(author):
        raise PermissionDenied("Only the pharmacy's staff can write internal notes on an order.")
    text = _required_text(text, "Write the note.")
    note = OrderNote.objects.create(order=order, author=author, text=text)
    log(instance=order, action="orders.note", user=author, data={"note": note.pk})
    return note


def _validity(lines: list[OrderLine], issued_on: date | None, valid_until: date | None) -> dict[int, date]:
    """Until when each approved line may be dispensed.

    A prescription is valid from the date written on it for as long as
    ``prescriptions.services.latest_valid_until`` says; the pharmacist may
    shorten that, never extend it, and cannot approve one that has already
    expired or is dated in the future.
    """
    today = timezone.localdate()
    if issued_on is None:
        if any(line.controlled for line in lines):
            limit = prescription_services.valid_days(controlled=True)
            raise ValidationError(
                f"A controlled medicine needs a prescription dated within the last {limit} days: record its date."
            )
        raise ValidationError("Record the date written on the prescription before approving it.")
    if issued_on > today:
        raise ValidationError("The prescription's date is in the future: check the date written on it.")
    validity = {}
    for line in lines:
        days = prescription_services.valid_days(controlled=line.controlled)
        latest = prescription_services.latest_valid_until(issued_on, controlled=line.controlled)
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
    limit = prescription_services.valid_days(controlled=True)
    if issued_on is None or (timezone.localdate() - issued_on).days > limit:
        raise ValidationError(
            f"A controlled medicine needs a prescription dated within the last {limit} days: record its date."
        )

"""The pharmacist's review through ``orders.services``: partial approval, rejection, safety warnings, the decision
log and the prescription's validity."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from orders import services
from orders.models import OrderStatus
from orders.services import OrderError
from orders.tests.conftest import PRESCRIBER, approve_all, dispensing, place, send_to_review, stock
from prescriptions.models import (
    DecisionKind,
    ImmutableRecordError,
    PrescriptionDecision,
    PrescriptionItem,
    PrescriptionStatus,
)
from prescriptions.services import CHECK_NAMES, ChecklistIncomplete
from tests.factories import make_medicine, make_product, make_reference, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# ---------------------------------------------------------------------------
# The pharmacist's review


def test_attaching_another_patients_prescription_is_refused(rx_pack, patient):
    from prescriptions import services as prescription_services
    from tests.factories import make_prescription_upload

    order = place([(rx_pack, 1)], patient)
    theirs = prescription_services.submit_prescription(
        make_user("someone@example.com"), upload=make_prescription_upload()
    )
    with pytest.raises(PermissionDenied):
        services.attach_prescription(order, theirs)
    order.refresh_from_db()
    assert order.prescription is None and order.status == OrderStatus.AWAITING_PRESCRIPTION


def test_partial_approval_removes_the_other_lines_and_returns_their_stock(
    rx_pack, otc_pack, medicine, patient, pharmacist
):
    other = make_product(medicine, strength="20 mg", packs=((30, "21.00", 10),)).packs.get()
    order = send_to_review(place([(rx_pack, 2), (other, 3), (otc_pack, 1)], patient))
    assert order.total == Decimal("96.10")
    keep = order.lines.get(pack=rx_pack)
    decision = services.review_order(
        order,
        pharmacist,
        approve_line_ids=[keep.pk],
        reason="Only 10 mg prescribed.",
        issued_on=TODAY(),
        checks=CHECK_NAMES,
        **PRESCRIBER,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert order.total == Decimal("33.10")  # 2 × 15.30 + 1 × 2.50; the 20 mg line is neither sent nor charged
    assert isinstance(order.total, Decimal)
    removed = order.lines.get(pack=other)
    assert removed.removed and removed.prescription_item is None
    assert not order.lines.get(pack=otc_pack).removed
    assert (stock(rx_pack), stock(other), stock(otc_pack)) == (8, 10, 49)
    assert decision.decision == DecisionKind.PARTLY_APPROVED
    assert order.prescription.status == PrescriptionStatus.PARTLY_APPROVED
    assert decision.details["partial"] is True
    assert decision.details["removed_lines"] == [removed.description]
    services.dispense(order, pharmacist, dispensing(order))


def test_a_rejection_needs_a_reason(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ValidationError, match="reason"):
        services.review_order(order, pharmacist, approve_line_ids=[], reason="  ")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and stock(rx_pack) == 9
    assert not PrescriptionDecision.objects.exists()
    assert order.prescription.status == PrescriptionStatus.SUBMITTED


def test_only_a_pharmacist_reviews_and_only_orders_in_review(rx_pack, patient, pharmacist):
    order = place([(rx_pack, 1)], patient)
    with pytest.raises(OrderError, match="not waiting"):
        approve_all(order, pharmacist)
    send_to_review(order)
    with pytest.raises(PermissionDenied):
        approve_all(order, make_user("staff@example.com", is_staff=True))
    with pytest.raises(ValidationError, match="expired"):
        approve_all(order, pharmacist, valid_until=TODAY() - timedelta(days=1))
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and not PrescriptionDecision.objects.exists()


def test_an_allergy_to_the_ingredient_needs_an_override(rx_pack, patient, pharmacist):
    patient.allergy_answer, patient.allergies = "listed", "penicillin, Baclofen"
    patient.save()
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ValidationError, match="allergy to “Baclofen”"):
        approve_all(order, pharmacist)
    with pytest.raises(ValidationError):
        approve_all(order, pharmacist, override_reason="   ")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    decision = approve_all(order, pharmacist, override_reason="Prescriber confirmed: intolerance, not allergy.")
    assert order.status == OrderStatus.APPROVED
    assert decision.override_reason == "Prescriber confirmed: intolerance, not allergy."
    assert any("allergy" in warning for warning in decision.details["warnings"])


def test_an_allergy_to_something_else_is_no_warning(rx_pack, patient, pharmacist):
    patient.allergy_answer, patient.allergies = "listed", "penicillin"
    patient.save()
    order = send_to_review(place([(rx_pack, 1)], patient))
    assert services.safety_checks(order) == []
    approve_all(order, pharmacist)
    assert order.status == OrderStatus.APPROVED


@pytest.fixture
def tizanidine_pack(site_pages, drug_class):
    from medicines.models import Interaction

    reference = make_reference()
    tizanidine = make_medicine(site_pages["medicines"], drug_class, "Tizanidine", references=[reference])
    Interaction.objects.create(
        page=tizanidine,
        substance="Baclofen and other muscle relaxants",
        severity="major",
        effect="Additive drowsiness and low blood pressure.",
        reference=reference,
        sort_order=0,
    )
    return make_product(tizanidine, strength="4 mg", packs=((30, "12.60", 10),)).packs.get()


def test_a_major_interaction_with_another_active_order_needs_an_override(rx_pack, tizanidine_pack, patient, pharmacist):
    place([(tizanidine_pack, 1)], patient)  # awaiting its prescription: still active
    order = send_to_review(place([(rx_pack, 1)], patient))
    [warning] = [finding for finding in services.safety_checks(order) if finding.kind == "interaction"]
    [tizanidine_order] = patient.orders.exclude(pk=order.pk)
    assert warning.severe and f"in open order {tizanidine_order.number}" in warning.message
    with pytest.raises(ValidationError, match="override reason"):
        approve_all(order, pharmacist)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and not PrescriptionDecision.objects.exists()
    decision = approve_all(order, pharmacist, override_reason="Doses reviewed with the neurologist.")
    assert order.status == OrderStatus.APPROVED
    assert decision.override_reason == "Doses reviewed with the neurologist."


def test_an_interaction_with_a_cancelled_order_is_no_warning(rx_pack, tizanidine_pack, patient, pharmacist):
    services.cancel(place([(tizanidine_pack, 1)], patient), by=patient)
    order = send_to_review(place([(rx_pack, 1)], patient))
    assert services.safety_checks(order) == []
    approve_all(order, pharmacist)
    assert order.status == OrderStatus.APPROVED


def test_the_decision_is_logged_and_cannot_be_changed_or_deleted(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    decision = approve_all(order, pharmacist, reason="Matches the prescription.")
    decision = PrescriptionDecision.objects.get(pk=decision.pk)
    assert (decision.pharmacist, decision.decision, decision.reason) == (
        pharmacist,
        DecisionKind.APPROVED,
        "Matches the prescription.",
    )
    assert decision.prescription == order.prescription
    assert decision.details["order"] == order.number
    assert decision.details["approved_lines"] == [order.lines.get().description]
    decision.reason = "Something else."
    with pytest.raises(ImmutableRecordError):
        decision.save()
    with pytest.raises(ImmutableRecordError):
        decision.delete()
    assert PrescriptionDecision.objects.get(pk=decision.pk).reason == "Matches the prescription."


def test_the_decision_log_cannot_be_changed_in_bulk_either(rx_pack, patient, pharmacist):
    """The admin's "delete selected" and any queryset call must not erase or rewrite the record."""
    order = send_to_review(place([(rx_pack, 1)], patient))
    decision = approve_all(order, pharmacist, reason="Matches the prescription.")
    with pytest.raises(ImmutableRecordError):
        PrescriptionDecision.objects.filter(pk=decision.pk).update(reason="Rewritten.")
    with pytest.raises(ImmutableRecordError):
        PrescriptionDecision.objects.filter(pk=decision.pk).delete()
    assert PrescriptionDecision.objects.get(pk=decision.pk).reason == "Matches the prescription."


def test_an_expired_prescription_cannot_be_approved(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ValidationError, match="has expired"):
        approve_all(order, pharmacist, issued_on=TODAY() - timedelta(days=settings.PRESCRIPTION_VALID_DAYS + 1))
    with pytest.raises(ValidationError, match="date written on the prescription"):
        approve_all(order, pharmacist, issued_on=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and not PrescriptionDecision.objects.exists()


def test_valid_until_never_runs_past_the_prescriptions_validity(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    issued = TODAY() - timedelta(days=10)
    approve_all(order, pharmacist, issued_on=issued, valid_until=TODAY() + timedelta(days=3650))
    item = order.lines.get().prescription_item
    assert item.valid_until == issued + timedelta(days=settings.PRESCRIPTION_VALID_DAYS)


def test_a_controlled_item_is_valid_only_for_the_controlled_limit(controlled_pack, patient, pharmacist):
    with override_settings(SELL_CONTROLLED_ONLINE=True):
        order = send_to_review(place([(controlled_pack, 1)], patient))
        issued = TODAY() - timedelta(days=5)
        approve_all(order, pharmacist, issued_on=issued)
    item = order.lines.get().prescription_item
    assert item.valid_until == issued + timedelta(days=settings.CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS)


def test_an_interaction_with_an_over_the_counter_line_of_the_same_order_needs_an_override(
    rx_pack, otc_pack, patient, pharmacist
):
    from medicines.models import Interaction, InteractionSeverity

    otc_medicine = otc_pack.product.medicine
    Interaction.objects.create(
        page=otc_medicine,
        substance="Baclofen",
        severity=InteractionSeverity.MAJOR,
        effect="Test interaction.",
        reference=make_reference(),
    )
    order = send_to_review(place([(rx_pack, 1), (otc_pack, 1)], patient))
    with pytest.raises(ValidationError, match="override reason"):
        approve_all(order, pharmacist)
    approve_all(order, pharmacist, override_reason="Discussed with the patient.")
    assert order.status == OrderStatus.APPROVED


def test_approving_a_line_of_another_order_is_refused(rx_pack, patient, pharmacist):
    other = place([(rx_pack, 1)], patient)
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ValidationError, match="Only this order's prescription lines"):
        services.review_order(order, pharmacist, approve_line_ids=[other.lines.get().pk], issued_on=TODAY())
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW


def test_approving_without_every_point_of_the_checklist_is_refused_by_the_service(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ChecklistIncomplete, match=r"not confirmed: patient, prescriber, medicine, .*, date\."):
        approve_all(order, pharmacist, checks=[])
    with pytest.raises(ChecklistIncomplete) as refused:
        approve_all(order, pharmacist, checks=[name for name in CHECK_NAMES if name != "checked_quantity"])
    assert refused.value.messages[0].endswith("not confirmed: quantity.")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and stock(rx_pack) == 9
    assert not PrescriptionDecision.objects.exists() and not PrescriptionItem.objects.exists()
    decision = approve_all(order, pharmacist)
    assert order.status == OrderStatus.APPROVED
    assert decision.details["checks"] == ["Patient", "Prescriber", "Medicine", "Strength and form", "Quantity", "Date"]


def test_a_rejection_needs_no_checklist(rx_pack, patient, pharmacist):
    order = send_to_review(place([(rx_pack, 1)], patient))
    services.review_order(order, pharmacist, approve_line_ids=[], reason="Not signed.", checks=[])
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED

"""Dispensing checks again whatever the line says, and an approval covers only what it approved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from medicines.models import LegalStatus, MedicinePage
from medicines.services import approve_revision
from orders import services
from orders.models import OrderStatus
from orders.tests.conftest import dispensing
from tests.factories import ADDRESS, make_order, make_pharmacist, make_user
from tests.prescription_lock.helpers import assert_still_prescription_only, logged_in

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# Dispensing checks again, whatever the line says


def test_a_line_whose_ingredient_is_prescription_only_is_not_dispensed_whatever_it_says(shelf, pharmacist):
    """A product moved to the OTC guide behind every check (raw SQL), approved: the cart still asks for a
    prescription, and a line forged to say "no prescription" is not dispensed."""
    tablets = shelf["tablets"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalogue_product SET medicine_id = %s WHERE id = %s", [shelf["ibuprofen"].pk, tablets.pk]
        )
    priced = services.price_lines({shelf["pack"].pk: 1})
    assert priced.lines[0].requires_prescription
    assert "tizanidine is prescription-only (guide “Tizanidine”)" in priced.lines[0].need.reason
    assert_still_prescription_only(shelf)

    order = make_order([(shelf["otc_pack"], 1)], customer=None, email="guest@example.com")
    line = order.lines.get()
    # Forge the line: the pack is tizanidine's, the line says it needs nothing.
    type(line).objects.filter(pk=line.pk).update(pack=shelf["pack"], active_ingredients="tizanidine", sku="TIZ")
    assert order.status == OrderStatus.APPROVED
    with pytest.raises(services.PrescriptionNotCovering) as refused:
        services.dispense(order, pharmacist, dispensing(order))
    assert "tizanidine is prescription-only" in str(refused.value)
    assert "dispensed only against a prescription a pharmacist has approved" in str(refused.value)
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


def test_a_cart_changed_after_approval_is_not_covered(shelf, approved_tizanidine_order, pharmacist):
    """More of the same medicine in a new cart, with the same prescription: waits for a new decision, and the
    approved item covers only the line it was approved for."""
    patient = approved_tizanidine_order.customer
    again = make_order([(shelf["pack"], 3)], customer=patient, email=patient.email)
    assert again.status == OrderStatus.AWAITING_PRESCRIPTION
    with pytest.raises(services.OrderError):
        services.set_status(again, OrderStatus.DISPENSED, by=pharmacist)
    with pytest.raises(services.OrderError):
        services.dispense(again, pharmacist, dispensing(again))
    # The approved order dispenses as approved.
    services.dispense(approved_tizanidine_order, pharmacist, dispensing(approved_tizanidine_order))


def test_a_checkout_token_replayed_with_another_cart_gives_the_same_order(shelf, approved_tizanidine_order):
    patient = approved_tizanidine_order.customer
    replay = services.place_order(
        quantities={shelf["pack"].pk: 20},
        customer=patient,
        email=patient.email,
        address=dict(ADDRESS),
        payment_method="pay_on_delivery",
        checkout_token=approved_tizanidine_order.checkout_token,
    )
    assert replay.pk == approved_tizanidine_order.pk and replay.lines.get().quantity == 1
    with pytest.raises(services.OrderError, match="already been used"):
        services.place_order(
            quantities={shelf["pack"].pk: 20},
            customer=None,
            email="guest@example.com",
            address=dict(ADDRESS),
            payment_method="pay_on_delivery",
            checkout_token=approved_tizanidine_order.checkout_token,
        )


# ---------------------------------------------------------------------------
# Every order screen shows SKU, active ingredient and strength


def test_order_screens_show_sku_ingredient_and_strength(shelf, approved_tizanidine_order, pharmacist):
    line = approved_tizanidine_order.lines.get()
    assert (line.sku, line.active_ingredients, line.strength) == (shelf["pack"].sku, "tizanidine", "2 mg")
    detail = (
        logged_in(pharmacist).get(reverse("orders_admin:inspect", args=[approved_tizanidine_order.pk])).content.decode()
    )
    assert shelf["pack"].sku in detail and "tizanidine 2 mg" in detail
    mine = (
        logged_in(approved_tizanidine_order.customer).get(approved_tizanidine_order.get_absolute_url()).content.decode()
    )
    assert shelf["pack"].sku in mine and "tizanidine 2 mg" in mine


def test_a_medicine_that_became_controlled_is_not_dispensed_on_an_old_approval(
    shelf, approved_tizanidine_order, pharmacist
):
    guide = MedicinePage.objects.get(pk=shelf["tizanidine"].pk)
    guide.legal_status, guide.controlled_schedule = LegalStatus.CONTROLLED, "IV"
    revision = guide.save_revision(user=pharmacist)
    approve_revision(revision, pharmacist)
    revision.publish(user=pharmacist)
    with pytest.raises(services.PrescriptionNotCovering, match="is a controlled medicine"):
        services.dispense(approved_tizanidine_order, pharmacist, dispensing(approved_tizanidine_order))


def test_a_pharmacists_second_address_is_still_their_own(shelf):
    patient_account = make_user("sam+shop@example.com")
    pharmacist = make_pharmacist("sam@example.com")
    order = make_order([(shelf["otc_pack"], 1)], customer=patient_account, email=patient_account.email)
    with pytest.raises(services.OrderError, match="is your own"):
        services.dispense(order, pharmacist, dispensing(order))

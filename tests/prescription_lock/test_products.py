"""The product admin: relinking, changing or adding a product, moving a SKU, deleting what was ordered,
and approving waiting products, each held for a pharmacist."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from catalogue.models import Pack, Product
from medicines.models import MedicinePage
from tests.factories import make_product
from tests.prescription_lock.helpers import (
    RULE,
    assert_still_prescription_only,
    edit_url,
    guest_buys,
    logged_in,
    product_form,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# The product admin


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_relinking_a_product_to_an_otc_guide_in_the_admin_is_refused_to_a_non_pharmacist(shelf, who, request):
    user = request.getfixturevalue(who)
    tablets = shelf["tablets"]
    response = logged_in(user).post(edit_url(tablets), product_form(tablets, medicine=shelf["ibuprofen"].pk))

    assert response.status_code == 200  # the form again, with the error
    page = response.content.decode()
    assert RULE in page and "guide “Tizanidine” → “Ibuprofen”" in page
    tablets.refresh_from_db()
    assert tablets.medicine_id == shelf["tizanidine"].pk and tablets.is_approved
    assert_still_prescription_only(shelf)


@pytest.mark.parametrize("change", [{"strength": "4 mg"}, {"active_ingredients": "ibuprofen"}, {"form": "capsule"}])
def test_changing_strength_form_or_ingredient_in_the_admin_is_refused_to_a_non_pharmacist(shelf, editor, change):
    tablets = shelf["tablets"]
    response = logged_in(editor).post(edit_url(tablets), product_form(tablets, **change))
    assert RULE in response.content.decode()
    tablets.refresh_from_db()
    assert (tablets.strength, tablets.form, tablets.active_ingredients) == ("2 mg", "tablet", "tizanidine")


def test_an_ingredient_that_is_not_the_guides_is_refused_even_to_a_pharmacist(shelf, pharmacist):
    tablets = shelf["tablets"]
    response = logged_in(pharmacist).post(edit_url(tablets), product_form(tablets, medicine=shelf["ibuprofen"].pk))
    assert (
        "A product of the “Ibuprofen” guide contains ibuprofen; this one says tizanidine" in response.content.decode()
    )
    tablets.refresh_from_db()
    assert tablets.medicine_id == shelf["tizanidine"].pk


def test_a_product_an_editor_adds_waits_for_a_pharmacist(shelf, editor, pharmacist):
    data = nested_form_data(
        {
            "medicine": shelf["ibuprofen"].pk,
            "form": "tablet",
            "strength": "2 mg",
            "active_ingredients": "",
            "manufacturer": "",
            "ndc_product_code": "",
            "rxnorm_code": "",
            "active": "on",
            "packs": inline_formset([{"units": 30, "price": "4.00", "stock": 9, "sku": "TIZ-2-OTC"}], min=1),
        }
    )
    response = logged_in(editor).post(reverse("wagtailsnippets_catalogue_product:add"), data, follow=True)
    assert "is not sold until a pharmacist approves its medicine, form, strength and ingredients" in (
        response.content.decode()
    )
    held = Product.objects.get(packs__sku="TIZ-2-OTC")
    assert not held.is_approved and held.active_ingredients == "ibuprofen"
    assert guest_buys(held.packs.get()) == "Something in your cart is no longer sold. Please review your cart."
    assert Client().post(reverse("orders:cart_add"), {"pack": held.packs.get().pk, "quantity": 1}).status_code == 404

    # The pharmacist sees it waiting, approves it, and only then is it sold (as what it now says it is).
    listing = logged_in(pharmacist).get(reverse("wagtailsnippets_catalogue_product:list"), {"waiting": "true"})
    assert "Waiting for a pharmacist: not sold" in listing.content.decode()
    logged_in(pharmacist).post(edit_url(held), product_form(held, approve="on"))
    held.refresh_from_db()
    assert held.approved_by == pharmacist
    assert ModelLogEntry.objects.filter(action="catalogue.approve_product", object_id=str(held.pk)).exists()


def test_a_change_of_identity_made_behind_the_forms_takes_the_product_off_sale(shelf):
    """The model holds the rule whatever path saved it (a shell, a script, a bulk update)."""
    tablets = shelf["tablets"]
    tablets.medicine, tablets.active_ingredients = shelf["ibuprofen"], "ibuprofen"
    tablets.save()
    assert not Product.objects.get(pk=tablets.pk).is_approved
    assert guest_buys(shelf["pack"]) == "Something in your cart is no longer sold. Please review your cart."

    otc = shelf["otc_tablets"]
    Product.objects.filter(pk=otc.pk).update(strength="400 mg")
    assert not Product.objects.get(pk=otc.pk).is_approved


def test_a_pharmacist_approves_waiting_products_in_bulk_and_nobody_else_can(shelf, editor, pharmacist):
    waiting = [make_product(shelf["ibuprofen"], strength, approved=False) for strength in ("400 mg", "600 mg")]
    url = reverse("wagtail_bulk_action", args=("catalogue", "product", "approve_products"))
    query = "?" + "&".join(f"id={product.pk}" for product in waiting)

    assert "Only a pharmacist can approve these products" in logged_in(editor).get(url + query).content.decode()
    logged_in(editor).post(url + query)
    assert not Product.objects.filter(pk__in=[p.pk for p in waiting], approved_by__isnull=False).exists()

    confirm = logged_in(pharmacist).get(url + query).content.decode()
    assert "400 mg" in confirm and "ibuprofen" in confirm
    logged_in(pharmacist).post(url + query)
    assert set(Product.objects.filter(pk__in=[p.pk for p in waiting]).values_list("approved_by", flat=True)) == {
        pharmacist.pk
    }


def test_moving_a_sku_to_another_product_takes_both_off_sale(shelf, editor):
    tablets, otc = shelf["tablets"], shelf["otc_tablets"]
    pack = shelf["pack"]
    data = product_form(tablets)
    data["packs-0-sku"] = "FREED-UP"
    logged_in(editor).post(edit_url(tablets), data)
    pack.refresh_from_db()
    assert pack.sku == "FREED-UP"
    tablets.refresh_from_db()
    assert not tablets.is_approved  # a changed code waits for a pharmacist
    Pack.objects.create(product=otc, units=30, price=Decimal("1.00"), stock=5, sku="SKU-TIZ-OLD")
    otc.refresh_from_db()
    assert not otc.is_approved
    assert guest_buys(shelf["otc_pack"]) == "Something in your cart is no longer sold. Please review your cart."


def test_deleting_what_was_ordered_says_why_and_keeps_it(shelf, approved_tizanidine_order, pharmacist, superuser):
    tablets = shelf["tablets"]
    Pack.objects.create(product=tablets, units=90, price=Decimal("25.00"), stock=5, sku="TIZ-2-90")
    data = product_form(tablets)
    data["packs-0-DELETE"] = "on"
    response = logged_in(pharmacist).post(edit_url(tablets), data)
    assert response.status_code == 200 and "has been ordered, so it cannot be deleted" in response.content.decode()
    assert Pack.objects.filter(pk=shelf["pack"].pk).exists()

    url = reverse("wagtailsnippets_catalogue_product:delete", args=[tablets.pk])
    response = logged_in(superuser).post(url, follow=True)
    assert "a product that has been ordered stays" in response.content.decode()
    assert Product.objects.filter(pk=tablets.pk).exists()

    url = reverse("wagtailadmin_pages:delete", args=[shelf["tizanidine"].pk])
    response = logged_in(superuser).post(url, follow=True)
    assert "products of it have been ordered" in response.content.decode()
    assert MedicinePage.objects.filter(pk=shelf["tizanidine"].pk).exists()

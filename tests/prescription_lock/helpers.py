"""Helpers of the prescription lock's tests: clients, forms and a guest's checkout."""

from __future__ import annotations

from pathlib import Path

from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, querydict_from_html

from catalogue import csv as csv_io
from catalogue.models import Product
from medicines.models import MedicinePage
from orders import services
from tests.factories import make_order

RULE = "only a pharmacist can change them"
OPENFDA_LABELS = (
    Path(__file__).parents[2] / "imports" / "tests" / "fixtures" / "openfda" / "drug-label-three-records.json"
)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def guest_buys(pack, quantity=1):
    """A guest checks out ``quantity`` packs: the order, or the refusal's message."""
    try:
        return make_order([(pack, quantity)], customer=None, email="guest@example.com")
    except services.OrderError as refused:
        return str(refused)


def assert_still_prescription_only(shelf):
    """The tizanidine pack can still not reach a guest without a prescription."""
    outcome = guest_buys(shelf["pack"])
    assert outcome == "Prescription medicines need an account: please log in or sign up to order them.", outcome


def product_form(product: Product, **changes) -> dict:
    packs = [
        {"id": pack.pk, "units": pack.units, "price": str(pack.price), "stock": pack.stock, "sku": pack.sku}
        for pack in product.packs.order_by("sort_order", "pk")
    ]
    fields = {
        "medicine": product.medicine_id,
        "form": product.form,
        "strength": product.strength,
        "active_ingredients": product.active_ingredients,
        "manufacturer": product.manufacturer,
        "ndc_product_code": product.ndc_product_code,
        "rxnorm_code": product.rxnorm_code,
        "active": "on",
        "packs": inline_formset(packs, initial=len(packs), min=1),
    }
    fields.update(changes)
    return nested_form_data(fields)


def edit_url(product: Product) -> str:
    return reverse("wagtailsnippets_catalogue_product:edit", args=[product.pk])


def catalogue_csv(**row) -> str:
    values = {
        "medicine": "ibuprofen",
        "form": "tablet",
        "strength": "2 mg",
        "manufacturer": "",
        "ndc_product_code": "",
        "rxnorm_code": "",
        "product_active": "yes",
        "sku": "TIZ-2MG-30",
        "units": "30",
        "price": "4.00",
        "stock": "50",
        "ndc": "",
    } | row
    return ",".join(csv_io.COLUMNS) + "\n" + ",".join(values[column] for column in csv_io.COLUMNS) + "\n"


def guide_form(client: Client, page: MedicinePage, **changes) -> dict:
    """The guide's edit form as the admin shows it, with ``changes`` made, as the browser would post it."""
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form").dict()
    data.update(changes)
    return data

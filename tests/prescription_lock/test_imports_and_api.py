"""The CSV import, the staff API and the openFDA import: none changes what a sold product is."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from api.tests.conftest import bearer
from catalogue import csv as csv_io
from catalogue.models import Pack, Product
from medicines.models import LegalStatus, MedicinePage
from medicines.services import PrescriptionStatusLocked, approve_and_publish
from tests.factories import approving_pharmacist, make_pharmacist
from tests.prescription_lock.helpers import OPENFDA_LABELS, catalogue_csv, guest_buys, logged_in

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# The CSV import


def test_a_new_sku_under_an_otc_guide_by_csv_is_held_for_a_pharmacist(shelf, editor):
    client = logged_in(editor)
    upload = SimpleUploadedFile("catalogue.csv", catalogue_csv().encode(), content_type="text/csv")
    preview = client.post(reverse("wagtailsnippets_catalogue_product:import_csv"), {"file": upload})
    shown = preview.content.decode()
    assert "New product Ibuprofen 2 mg tablet; new pack: units 30" in shown
    assert "not sold until a pharmacist approves it" in shown
    digest = preview.context["apply_form"].initial["digest"]
    client.post(reverse("wagtailsnippets_catalogue_product:apply_csv"), {"digest": digest})

    pack = Pack.objects.get(sku="TIZ-2MG-30")
    assert not pack.product.is_approved
    assert guest_buys(pack) == "Something in your cart is no longer sold. Please review your cart."
    assert not Pack.objects.sellable().filter(pk=pack.pk).exists()


def test_the_import_command_holds_new_products_too(shelf, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text(catalogue_csv(sku="TIZ-2MG-60", units="60"))
    out = StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    assert "1 product created, 1 pack created" in out.getvalue()
    assert not Pack.objects.get(sku="TIZ-2MG-60").product.is_approved


def test_a_pharmacists_csv_import_approves_what_it_creates(shelf, pharmacist):
    csv_io.apply(csv_io.read(catalogue_csv(sku="IBU-2-30")), user=pharmacist)
    assert Pack.objects.get(sku="IBU-2-30").product.approved_by == pharmacist


# ---------------------------------------------------------------------------
# The staff API


def test_the_staff_api_cannot_move_a_pack_or_change_what_a_product_is(shelf, client):
    from api import services as api_services

    owner = make_pharmacist("api-owner@example.com")
    _, raw = api_services.create_token(name="Stock sync", owner=owner, scopes=["catalogue:write"], created_by=owner)
    response = client.post(
        "/api/staff/stock-and-prices",
        {"rows": [{"sku": shelf["pack"].sku, "price": "1.00", "medicine": "ibuprofen", "strength": "200 mg"}]},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 422
    message = response.json()["error"]["fields"]["rows.0"]
    assert "a row sets only sku, price and stock, not medicine, strength" in message
    assert "only a pharmacist changes them" in message
    shelf["pack"].refresh_from_db()
    assert shelf["pack"].price == Decimal("9.00") and shelf["pack"].product.medicine == shelf["tizanidine"]


# ---------------------------------------------------------------------------
# The openFDA import


def test_an_openfda_reimport_that_calls_a_live_guide_otc_changes_nothing_that_is_sold(site_pages, tmp_path, superuser):
    out = StringIO()
    call_command("import_openfda", str(OPENFDA_LABELS), stdout=out)
    guide = MedicinePage.objects.get(generic_name="tizanidine")
    assert not guide.products.available().exists()  # imported products wait for a pharmacist
    approve_and_publish(guide.get_latest_revision_as_object(), approving_pharmacist())
    product = guide.products.get(form="tablet", strength="2 mg")
    Pack.objects.create(product=product, units=30, price=Decimal("9.00"), stock=20, sku="ZAN-2-30")
    Product.objects.filter(pk=product.pk).update(active=True)
    from catalogue.services import approve_product

    approve_product(product, approving_pharmacist())

    # A new version of the label: over the counter, another ingredient, a new strength.
    document = json.loads(OPENFDA_LABELS.read_text())
    record = next(r for r in document["results"] if r["set_id"].endswith("2"))
    record["version"] = "8"
    record["openfda"]["product_type"] = ["HUMAN OTC DRUG"]
    record["openfda"]["substance_name"] = ["IBUPROFEN"]
    record["dosage_forms_and_strengths"] = ["Zanaflex tablets: 2 mg, 4 mg and 8 mg."]
    changed = tmp_path / "labels.json"
    changed.write_text(json.dumps(document))
    call_command("import_openfda", str(changed), stdout=StringIO())

    guide.refresh_from_db()
    assert guide.legal_status == LegalStatus.PRESCRIPTION and guide.active_ingredients.lower() == "tizanidine"
    assert not guide.products.get(strength="8 mg").is_approved
    draft = guide.get_latest_revision()
    with pytest.raises(PrescriptionStatusLocked, match="changes its prescription status"):
        draft.publish(user=superuser)
    guide.refresh_from_db()
    assert guide.active_ingredients.lower() == "tizanidine"
    pack = Pack.objects.get(sku="ZAN-2-30")
    assert guest_buys(pack) == "Prescription medicines need an account: please log in or sign up to order them."

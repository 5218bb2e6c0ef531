"""Adversarial: a prescription-only medicine is never sold or dispensed without a covering approval, whatever path
is tried. Each attack goes through the real admin screens, the CSV import, the staff API, the openFDA import or the
services; none succeeds, and each is refused with a message naming the rule, or held for a pharmacist.

The set-up is the case that was seen: tizanidine 2 mg tablets (prescription only) and an over-the-counter guide
(ibuprofen) under which a product could be relabelled.
"""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, querydict_from_html

from api.tests.conftest import bearer
from catalogue import csv as csv_io
from catalogue.models import Pack, Product
from medicines.models import LegalStatus, MedicinePage
from medicines.services import PrescriptionStatusLocked, approve_and_publish, approve_revision
from orders import services
from orders.models import OrderStatus
from prescriptions import services as prescription_services
from tests.factories import (
    ADDRESS,
    approving_pharmacist,
    make_medicine,
    make_order,
    make_pharmacist,
    make_prescription_upload,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db

RULE = "only a pharmacist can change them"
OPENFDA_LABELS = (
    Path(__file__).parents[1] / "catalogue" / "tests" / "fixtures" / "openfda" / "drug-label-three-records.json"
)


@pytest.fixture
def shelf(site_pages, drug_class):
    """Tizanidine 2 mg tablets (prescription only) and ibuprofen 200 mg tablets (over the counter)."""
    tizanidine = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
    ibuprofen = make_medicine(
        site_pages["medicines"], drug_class, title="Ibuprofen", legal_status=LegalStatus.GENERAL_SALE
    )
    tablets = make_product(tizanidine, "2 mg", packs=((30, "9.00", 50),))
    otc_tablets = make_product(ibuprofen, "200 mg", packs=((24, "3.50", 50),))
    return {
        "tizanidine": tizanidine,
        "ibuprofen": ibuprofen,
        "tablets": tablets,
        "pack": tablets.packs.get(),
        "otc_tablets": otc_tablets,
        "otc_pack": otc_tablets.packs.get(),
    }


@pytest.fixture
def editor(site_pages):
    return make_user("editor@example.com", groups=["Editors"], is_staff=True)


@pytest.fixture
def admin_user(site_pages):
    """A superuser who is not a pharmacist."""
    from accounts.models import User

    return User.objects.create_superuser("boss@example.com", "pw")


@pytest.fixture
def pharmacist(site_pages):
    return make_pharmacist("duty-pharmacist@example.com")


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


# ---------------------------------------------------------------------------
# The product admin


@pytest.mark.parametrize("who", ["editor", "admin_user"])
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


# ---------------------------------------------------------------------------
# The CSV import


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


def test_an_openfda_reimport_that_calls_a_live_guide_otc_changes_nothing_that_is_sold(site_pages, tmp_path, admin_user):
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
        draft.publish(user=admin_user)
    guide.refresh_from_db()
    assert guide.active_ingredients.lower() == "tizanidine"
    pack = Pack.objects.get(sku="ZAN-2-30")
    assert guest_buys(pack) == "Prescription medicines need an account: please log in or sign up to order them."


# ---------------------------------------------------------------------------
# A legal-status change without the workflow


def guide_form(client: Client, page: MedicinePage, **changes) -> dict:
    """The guide's edit form as the admin shows it, with ``changes`` made, as the browser would post it."""
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form").dict()
    data.update(changes)
    return data


def test_a_superuser_cannot_publish_a_legal_status_change_outside_the_workflow(shelf, admin_user):
    guide = MedicinePage.objects.get(pk=shelf["tizanidine"].pk)
    client = logged_in(admin_user)
    data = guide_form(client, guide, legal_status=LegalStatus.GENERAL_SALE, **{"action-publish": "publish"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=[guide.pk]), data, follow=True)
    page = response.content.decode()
    assert "Whether a medicine needs a prescription is a pharmacist&#x27;s decision" in page
    assert "from Prescription only; active ingredients: tizanidine to Over the counter" in page
    guide.refresh_from_db()
    assert guide.legal_status == LegalStatus.PRESCRIPTION and guide.has_unpublished_changes
    assert_still_prescription_only(shelf)

    # The same through the code: a revision published by anybody, the scheduler, or bulk publish.
    with pytest.raises(PrescriptionStatusLocked):
        guide.get_latest_revision().publish()
    bulk = logged_in(admin_user).post(
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={guide.pk}", follow=True
    )
    assert "Nothing was published" in bulk.content.decode()
    guide.refresh_from_db()
    assert guide.legal_status == LegalStatus.PRESCRIPTION


def test_a_new_guide_goes_live_only_through_a_pharmacists_approval(site_pages, drug_class, admin_user, pharmacist):
    page = MedicinePage(
        title="Tizanidine OTC",
        generic_name="tizanidine",
        active_ingredients="tizanidine",
        drug_class=drug_class,
        legal_status=LegalStatus.GENERAL_SALE,
        summary="A copy.",
        how_it_works="<p>x</p>",
        how_to_take="<p>x</p>",
        warnings="<p>x</p>",
        live=False,
    )
    site_pages["medicines"].add_child(instance=page)
    revision = page.save_revision(user=admin_user)
    with pytest.raises(PrescriptionStatusLocked, match="is not live with a status a pharmacist approved"):
        revision.publish(user=admin_user)
    assert not MedicinePage.objects.get(pk=page.pk).live

    approve_revision(revision, pharmacist)
    revision.publish(user=pharmacist)
    assert MedicinePage.objects.get(pk=page.pk).live


def test_the_workflow_lets_a_pharmacist_change_the_status(shelf, editor, pharmacist):
    """The control case: the same change, approved by a pharmacist in Guide review, goes live."""
    guide = MedicinePage.objects.get(pk=shelf["tizanidine"].pk)
    guide.legal_status = LegalStatus.GENERAL_SALE
    guide.save_revision(user=editor)
    state = guide.get_workflow().start(guide, editor)
    state.refresh_from_db()
    task_state = state.current_task_state  # the evidence check passed by itself: the pharmacist's step
    assert task_state.task.name == "Pharmacist approval"
    task_state.task.specific.on_action(task_state, pharmacist, "approve")
    guide.refresh_from_db()
    assert guide.live and guide.legal_status == LegalStatus.GENERAL_SALE
    assert guide.reviewed_by == pharmacist


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
        services.dispense(order, pharmacist)
    assert "tizanidine is prescription-only" in str(refused.value)
    assert "dispensed only against a prescription a pharmacist has approved" in str(refused.value)
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


# ---------------------------------------------------------------------------
# After an approval


@pytest.fixture
def approved_order(shelf, pharmacist):
    patient = make_user("robin@example.com", first_name="Robin", last_name="Patel")
    order = make_order([(shelf["pack"], 1)], customer=patient, email=patient.email)
    prescription = prescription_services.submit_prescription(patient, upload=make_prescription_upload())
    services.attach_prescription(order, prescription)
    from django.utils import timezone

    services.review_order(
        order,
        pharmacist,
        approve_line_ids=[order.lines.get().pk],
        issued_on=timezone.localdate(),
        checks=["all"],
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    return order


def test_a_cart_changed_after_approval_is_not_covered(shelf, approved_order, pharmacist):
    """More of the same medicine in a new cart, with the same prescription: waits for a new decision, and the
    approved item covers only the line it was approved for."""
    patient = approved_order.customer
    again = make_order([(shelf["pack"], 3)], customer=patient, email=patient.email)
    assert again.status == OrderStatus.AWAITING_PRESCRIPTION
    with pytest.raises(services.OrderError):
        services.set_status(again, OrderStatus.DISPENSED, by=pharmacist)
    with pytest.raises(services.OrderError):
        services.dispense(again, pharmacist)
    # The approved order dispenses as approved.
    services.dispense(approved_order, pharmacist)


def test_a_checkout_token_replayed_with_another_cart_gives_the_same_order(shelf, approved_order):
    patient = approved_order.customer
    replay = services.place_order(
        quantities={shelf["pack"].pk: 20},
        customer=patient,
        email=patient.email,
        address=dict(ADDRESS),
        payment_method="pay_on_delivery",
        checkout_token=approved_order.checkout_token,
    )
    assert replay.pk == approved_order.pk and replay.lines.get().quantity == 1
    with pytest.raises(services.OrderError, match="already been used"):
        services.place_order(
            quantities={shelf["pack"].pk: 20},
            customer=None,
            email="guest@example.com",
            address=dict(ADDRESS),
            payment_method="pay_on_delivery",
            checkout_token=approved_order.checkout_token,
        )


# ---------------------------------------------------------------------------
# Every order screen shows SKU, active ingredient and strength


def test_order_screens_show_sku_ingredient_and_strength(shelf, approved_order, pharmacist):
    line = approved_order.lines.get()
    assert (line.sku, line.active_ingredients, line.strength) == (shelf["pack"].sku, "tizanidine", "2 mg")
    detail = logged_in(pharmacist).get(reverse("orders_admin:inspect", args=[approved_order.pk])).content.decode()
    assert shelf["pack"].sku in detail and "tizanidine 2 mg" in detail
    mine = logged_in(approved_order.customer).get(approved_order.get_absolute_url()).content.decode()
    assert shelf["pack"].sku in mine and "tizanidine 2 mg" in mine


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


# ---------------------------------------------------------------------------
# Found by a red-team pass: every one held now


def test_the_admins_api_publish_is_held_to_the_same_rule(shelf, admin_user):
    """Wagtail's admin API publishes without the edit screen's hooks: the model refuses it."""
    guide = MedicinePage.objects.get(pk=shelf["tizanidine"].pk)
    guide.legal_status = LegalStatus.GENERAL_SALE
    guide.save_revision(user=admin_user)
    response = logged_in(admin_user).post(
        f"/admin/api/main/pages/{guide.pk}/action/publish/", {}, content_type="application/json"
    )
    assert response.status_code in (400, 403), response.content
    guide.refresh_from_db()
    assert guide.legal_status == LegalStatus.PRESCRIPTION
    assert_still_prescription_only(shelf)


def test_publish_on_a_new_guides_create_screen_saves_a_draft(site_pages, drug_class, admin_user):
    from medicines.tests.test_admin import guide_form_data
    from tests.factories import make_reference

    source = make_reference()
    data = guide_form_data(drug_class, source, source)
    data.update(legal_status=LegalStatus.GENERAL_SALE, **{"action-publish": "publish"})
    client = logged_in(admin_user)
    form = client.get(reverse("wagtailadmin_pages:add", args=["medicines", "medicinepage", site_pages["medicines"].pk]))
    assert 'name="action-publish"' not in form.content.decode()
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["medicines", "medicinepage", site_pages["medicines"].pk]),
        data,
        follow=True,
    )
    assert "A new guide goes live only when a pharmacist approves it" in response.content.decode()
    guide = MedicinePage.objects.get(slug="tizanidine")
    assert not guide.live and guide.live_revision_id is None
    assert Client().get("/medicines/tizanidine/").status_code == 404


def test_an_approved_status_that_never_went_live_allows_nothing(shelf, editor, pharmacist, admin_user):
    """A pharmacist approves an OTC change scheduled for next month; before then, nobody publishes OTC directly."""
    from datetime import timedelta

    from django.utils import timezone

    guide = MedicinePage.objects.get(pk=shelf["tizanidine"].pk)
    guide.legal_status = LegalStatus.GENERAL_SALE
    guide.go_live_at = timezone.now() + timedelta(days=30)
    revision = guide.save_revision(user=editor)
    approve_revision(revision, pharmacist)
    revision.publish(user=pharmacist)  # scheduled
    guide.refresh_from_db()
    assert guide.legal_status == LegalStatus.PRESCRIPTION and guide.live

    draft = guide.get_latest_revision_as_object()
    draft.go_live_at = None
    with pytest.raises(PrescriptionStatusLocked, match="changes its prescription status"):
        draft.save_revision(user=admin_user).publish(user=admin_user)
    assert_still_prescription_only(shelf)


def test_a_lookalike_character_does_not_hide_an_ingredient(shelf, admin_user):
    """The Kelvin sign for a K, full-width letters, a soft hyphen: one ingredient, whatever the typing."""
    from medicines.ingredients import ingredient_set

    assert ingredient_set("\u212aetamine") == ingredient_set("ketamine") == {"ketamine"}
    assert ingredient_set("ｔｉｚａ\u00adnidine (as hydrochloride)") == {"tizanidine"}
    assert ingredient_set("magnesium sulfate") != ingredient_set("magnesium citrate")

    guide = MedicinePage.objects.get(pk=shelf["tizanidine"].pk)
    guide.active_ingredients = "ＴＩＺＡＮＩＤＩＮＥ"
    guide.save_revision(user=admin_user).publish(user=admin_user)  # the same status, typed otherwise: allowed
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalogue_product SET medicine_id = %s WHERE id = %s", [shelf["ibuprofen"].pk, shelf["tablets"].pk]
        )
    assert services.price_lines({shelf["pack"].pk: 1}).lines[0].requires_prescription


def test_a_medicine_that_became_controlled_is_not_dispensed_on_an_old_approval(shelf, approved_order, pharmacist):
    guide = MedicinePage.objects.get(pk=shelf["tizanidine"].pk)
    guide.legal_status, guide.controlled_schedule = LegalStatus.CONTROLLED, "IV"
    revision = guide.save_revision(user=pharmacist)
    approve_revision(revision, pharmacist)
    revision.publish(user=pharmacist)
    with pytest.raises(services.PrescriptionNotCovering, match="is a controlled medicine"):
        services.dispense(approved_order, pharmacist)


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


def test_a_pharmacists_second_address_is_still_their_own(shelf):
    patient_account = make_user("sam+shop@example.com")
    pharmacist = make_pharmacist("sam@example.com")
    order = make_order([(shelf["otc_pack"], 1)], customer=patient_account, email=patient_account.email)
    with pytest.raises(services.OrderError, match="is your own"):
        services.dispense(order, pharmacist)


def test_deleting_what_was_ordered_says_why_and_keeps_it(shelf, approved_order, pharmacist, admin_user):
    tablets = shelf["tablets"]
    Pack.objects.create(product=tablets, units=90, price=Decimal("25.00"), stock=5, sku="TIZ-2-90")
    data = product_form(tablets)
    data["packs-0-DELETE"] = "on"
    response = logged_in(pharmacist).post(edit_url(tablets), data)
    assert response.status_code == 200 and "has been ordered, so it cannot be deleted" in response.content.decode()
    assert Pack.objects.filter(pk=shelf["pack"].pk).exists()

    url = reverse("wagtailsnippets_catalogue_product:delete", args=[tablets.pk])
    response = logged_in(admin_user).post(url, follow=True)
    assert "a product that has been ordered stays" in response.content.decode()
    assert Product.objects.filter(pk=tablets.pk).exists()

    url = reverse("wagtailadmin_pages:delete", args=[shelf["tizanidine"].pk])
    response = logged_in(admin_user).post(url, follow=True)
    assert "products of it have been ordered" in response.content.decode()
    assert MedicinePage.objects.filter(pk=shelf["tizanidine"].pk).exists()

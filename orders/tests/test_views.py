"""Checkout, the order page, the prescription for an order and cancelling, through the public views."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import Address
from catalogue.models import Pack
from medicines.models import LegalStatus
from orders import services
from orders.cart import Cart
from orders.models import Order, OrderStatus, order_key
from orders.tests.conftest import carrier, dispensing
from prescriptions.models import Prescription
from prescriptions.services import CHECK_NAMES
from tests.factories import ADDRESS, make_medicine, make_order, make_pharmacist, make_prescription_upload, make_product
from tests.factories import make_user as make_account

pytestmark = pytest.mark.django_db


def add(client, pack, quantity=1):
    assert client.post("/cart/add/", {"pack": pack.pk, "quantity": str(quantity)}).status_code == 303


def checkout_form(client, **overrides):
    """The checkout form's data as a browser would send it, with the token the page gave."""
    response = client.get("/checkout/")
    assert response.status_code == 200
    data = {
        "email": "guest@example.com",
        "full_name": "Robin Patient",
        "line1": "1 High Street",
        "line2": "",
        "city": "Springfield",
        "postcode": "12345",
        "country": "United States",
        "state": "Illinois",
        "phone": "",
        "shipping": "standard",
        "payment_method": "pay_on_delivery",
        "checkout_token": response.context["form"].initial["checkout_token"],
    }
    data.update(overrides)
    return data


def place(client, pack, quantity=1, **overrides):
    add(client, pack, quantity)
    response = client.post("/checkout/", checkout_form(client, **overrides))
    assert response.status_code == 303, response.content.decode()[:2000]
    return Order.objects.get(), response["Location"]


# --- Checkout


def test_empty_cart_checkout_goes_back_to_the_cart(client):
    response = client.get("/checkout/", follow=True)
    assert response.redirect_chain == [("/cart/", 303)]
    assert "Your cart is empty" in response.content.decode()


def test_checkout_form_offers_payment_methods_and_a_token(client, otc_pack):
    add(client, otc_pack)
    html = client.get("/checkout/").content.decode()
    assert 'name="checkout_token"' in html and 'type="hidden"' in html
    assert "Pay on delivery" in html and "Bank transfer" in html and 'type="radio"' in html
    assert 'for="id_line1"' in html and 'autocomplete="postal-code"' in html
    assert "$2.50" in html


def test_guest_checks_out_over_the_counter_medicine_and_sees_the_order(client, otc_pack):
    order, location = place(client, otc_pack, 2)
    assert order.customer is None and order.email == "guest@example.com"
    assert order.status == OrderStatus.APPROVED
    assert order.shipping_method == "standard" and order.shipping_cost == Decimal("4.95")
    assert order.total == otc_pack.price * 2 + Decimal("4.95")
    assert location == f"/orders/{order.number}/?key={order_key(order.number)}"
    assert Cart(client.session).quantities() == {}
    otc_pack.refresh_from_db()
    assert otc_pack.stock == 48

    html = client.get(location).content.decode()
    assert order.number in html and "Approved" in html and "$5.00" in html
    assert "Pay the courier when your order is delivered." in html
    assert "Placed" in html and "Cart (0)" in html
    assert "Cancel order" not in html  # approved: no longer the customer's to cancel


def test_guest_order_page_needs_its_key(client, otc_pack):
    order, location = place(client, otc_pack)
    stranger = Client()
    assert stranger.get(f"/orders/{order.number}/").status_code == 404
    assert stranger.get(f"/orders/{order.number}/?key=forged").status_code == 404
    assert stranger.get(f"/orders/{order.number}/?key={order_key('AP-00000000')}").status_code == 404
    assert stranger.get(location).status_code == 200
    # The session that placed it sees it without the key too.
    assert client.get(f"/orders/{order.number}/").status_code == 200
    # A logged-in customer who is not the guest sees nothing either.
    other = Client()
    other.force_login(make_account("other@example.com"))
    assert other.get(f"/orders/{order.number}/").status_code == 404


def test_bank_transfer_instructions_quote_the_reference(client, otc_pack):
    order, location = place(client, otc_pack, payment_method="bank_transfer")
    html = client.get(location).content.decode()
    assert f"quoting the reference {order.number}" in html


def test_prescription_medicine_is_refused_to_a_guest_and_the_cart_kept(client, rx_pack):
    add(client, rx_pack)
    page = client.get("/checkout/").content.decode()
    assert "Prescription medicines need an account" in page
    assert 'href="/account/login/?next=/checkout/"' in page and 'href="/account/signup/?next=/checkout/"' in page
    assert 'name="checkout_token"' not in page

    response = client.post(
        "/checkout/",
        {
            "email": "guest@example.com",
            **ADDRESS,
            "payment_method": "pay_on_delivery",
            "checkout_token": "a" * 32,
        },
    )
    assert response.status_code == 403
    assert "Prescription medicines need an account" in response.content.decode()
    assert Order.objects.count() == 0
    assert Cart(client.session).quantities() == {rx_pack.pk: 1}


def test_customer_orders_a_prescription_medicine_and_is_asked_for_the_prescription(client, rx_pack, patient):
    client.force_login(patient)
    add(client, rx_pack, 2)
    form = checkout_form(client)
    assert client.get("/checkout/").context["form"].initial["email"] == patient.email == "robin@example.com"
    response = client.post("/checkout/", dict(form, email=patient.email))
    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.number}/"
    assert order.customer == patient and order.status == OrderStatus.AWAITING_PRESCRIPTION

    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "Awaiting prescription" in html
    assert "Placed → <strong>Awaiting prescription</strong>" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"' in html
    assert "10.0\xa0MB" in html
    assert "Prescription required" in html
    assert "Cancel order" in html


def test_customer_checks_out_to_a_saved_address(client, otc_pack, patient):
    Address.objects.create(user=patient, is_default=True, **dict(ADDRESS, line1="9 Saved Lane"))
    client.force_login(patient)
    add(client, otc_pack)
    form = checkout_form(client, full_name="", line1="", city="", postcode="", country="")
    saved = Address.objects.get()
    assert client.get("/checkout/").context["form"].initial["saved_address"] == str(saved.pk)
    response = client.post("/checkout/", dict(form, saved_address=str(saved.pk)))
    assert response.status_code == 303
    assert Order.objects.get().line1 == "9 Saved Lane"


def test_someone_elses_saved_address_cannot_be_chosen(client, otc_pack, patient):
    Address.objects.create(user=patient, **ADDRESS)
    theirs = Address.objects.create(user=make_account("other@example.com"), **dict(ADDRESS, line1="Other Street"))
    client.force_login(patient)
    add(client, otc_pack)
    response = client.post("/checkout/", checkout_form(client, saved_address=str(theirs.pk)))
    assert response.status_code == 400
    assert Order.objects.count() == 0
    assert "Other Street" not in response.content.decode()


def test_the_same_checkout_form_sent_twice_makes_one_order(client, otc_pack):
    add(client, otc_pack)
    form = checkout_form(client)
    first = client.post("/checkout/", form)
    second = client.post("/checkout/", form)
    assert Order.objects.count() == 1
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    otc_pack.refresh_from_db()
    assert otc_pack.stock == 49


def test_a_checkout_token_of_another_persons_order_is_refused(client, otc_pack, patient):
    order = make_order([(otc_pack, 1)], customer=patient, email=patient.email)
    add(client, otc_pack)
    response = client.post("/checkout/", checkout_form(client, checkout_token=order.checkout_token))
    assert response.status_code == 409
    html = response.content.decode()
    assert "already been used" in html
    assert order.number not in html and patient.email not in html
    assert Order.objects.count() == 1


def test_out_of_stock_at_checkout_says_so_and_keeps_everything(client, otc_pack):
    add(client, otc_pack, 3)
    Pack.objects.filter(pk=otc_pack.pk).update(stock=2)
    form = checkout_form(client, full_name="Robin Typed", line2="Flat 4", phone="555-0100")
    response = client.post("/checkout/", form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Not enough stock" in html
    assert 'value="Robin Typed"' in html and 'value="Flat 4"' in html and 'value="555-0100"' in html
    assert f'value="{form["checkout_token"]}"' in html  # the same token: a retry still makes one order
    assert Order.objects.count() == 0
    assert Cart(client.session).quantities() == {otc_pack.pk: 3}
    otc_pack.refresh_from_db()
    assert otc_pack.stock == 2


def test_checkout_form_errors_are_shown_with_what_was_typed(client, otc_pack):
    add(client, otc_pack)
    response = client.post(
        "/checkout/", checkout_form(client, email="not-an-email", line1="", payment_method="bitcoin")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "This field is required." in html
    assert "Select a valid choice." in html
    assert 'value="Robin Patient"' in html
    assert Order.objects.count() == 0


def test_a_forged_token_is_refused(client, otc_pack):
    add(client, otc_pack)
    response = client.post("/checkout/", checkout_form(client, checkout_token="<script>"))
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()


def test_controlled_medicine_is_refused_with_the_services_message(client, site_pages, drug_class, patient):
    controlled = make_medicine(
        site_pages["medicines"],
        drug_class,
        title="Oxycodone",
        legal_status=LegalStatus.CONTROLLED,
        controlled_schedule="II",
    )
    pack = make_product(controlled, "5 mg").packs.get()
    client.force_login(patient)
    # Refused at the cart with the rule's message ...
    refused = client.post("/cart/add/", {"pack": pack.pk, "quantity": "1"}, follow=True)
    assert "does not supply controlled medicines online" in refused.content.decode()
    assert Cart(client.session).quantities() == {}
    # ... and at checkout, for a cart that holds it all the same (put there before the rule, or by hand).
    session = client.session
    Cart(session).add(pack.pk, 1)
    session.save()
    response = client.post("/checkout/", checkout_form(client))
    assert response.status_code == 409
    assert "does not supply controlled medicines online" in response.content.decode()
    assert Order.objects.count() == 0


# --- The order page


def test_another_customers_order_is_not_found(client, rx_pack, patient):
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(make_account("other@example.com"))
    assert client.get(f"/orders/{order.number}/").status_code == 404
    assert client.get(f"/orders/{order.number}/?key={order_key(order.number)}").status_code == 404
    upload = make_prescription_upload()
    assert client.post(f"/orders/{order.number}/prescription/", {"file": upload}).status_code == 404
    assert client.post(f"/orders/{order.number}/cancel/").status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PRESCRIPTION
    assert client.get("/orders/AP-NOSUCH00/").status_code == 404


def test_a_logged_out_customer_is_asked_to_log_in(client, rx_pack, patient):
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    response = client.get(f"/orders/{order.number}/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/account/login/"
    assert client.post(f"/orders/{order.number}/cancel/").status_code == 404


def test_upload_a_pdf_prescription_sends_the_order_to_review(client, rx_pack, patient):
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    response = client.post(f"/orders/{order.number}/prescription/", {"file": make_prescription_upload()})
    assert response.status_code == 303 and response["Location"] == f"/orders/{order.number}/"
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    prescription = order.prescription
    assert prescription.patient == patient and prescription.content_type == "application/pdf"
    assert prescription.file.read().startswith(b"%PDF-")
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "In pharmacist review" in html
    assert f'href="/prescriptions/{prescription.pk}/file/"' in html
    assert 'enctype="multipart/form-data"' not in html  # no second upload form


def test_naming_the_prescriber_instead_of_uploading(client, rx_pack, patient):
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    response = client.post(
        f"/orders/{order.number}/prescription/",
        {"prescriber_name": "Dr Alex Doe", "prescriber_contact": "Springfield Practice, 555-0199"},
    )
    assert response.status_code == 303
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    assert order.prescription.prescriber_name == "Dr Alex Doe" and not order.prescription.has_file


def test_neither_file_nor_prescriber_is_an_error(client, rx_pack, patient):
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    response = client.post(f"/orders/{order.number}/prescription/", {"prescriber_contact": "somewhere"})
    assert response.status_code == 400
    assert "Upload the prescription, or tell us who prescribed it" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PRESCRIPTION


def test_a_pdf_that_is_really_text_is_refused(client, rx_pack, patient):
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    fake = make_prescription_upload("prescription.pdf", b"just some text pretending to be a PDF\n")
    response = client.post(f"/orders/{order.number}/prescription/", {"file": fake, "prescriber_name": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This file is not a PDF, JPEG or PNG" in html
    assert 'id="id_file_error"' in html and 'enctype="multipart/form-data"' in html
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PRESCRIPTION
    assert Prescription.objects.count() == 0


@override_settings(PRESCRIPTION_MAX_UPLOAD_BYTES=16)
def test_a_file_over_the_limit_is_refused(client, rx_pack, patient):
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "up to 16\xa0bytes" in html
    response = client.post(f"/orders/{order.number}/prescription/", {"file": make_prescription_upload()})
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PRESCRIPTION
    assert Prescription.objects.count() == 0


def test_uploading_twice_is_refused_politely(client, rx_pack, patient):
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    client.post(f"/orders/{order.number}/prescription/", {"file": make_prescription_upload()})
    response = client.post(f"/orders/{order.number}/prescription/", {"file": make_prescription_upload()}, follow=True)
    assert "is not waiting for a prescription" in response.content.decode()
    assert Prescription.objects.count() == 1


# --- Cancelling


def test_customer_cancels_and_the_stock_goes_back(client, rx_pack, patient):
    order = make_order([(rx_pack, 3)], customer=patient, email=patient.email)
    rx_pack.refresh_from_db()
    assert rx_pack.stock == 7
    client.force_login(patient)
    response = client.post(f"/orders/{order.number}/cancel/", follow=True)
    assert "has been cancelled" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.events.last().note == "Cancelled by the customer"
    rx_pack.refresh_from_db()
    assert rx_pack.stock == 10
    assert client.get(f"/orders/{order.number}/cancel/").status_code == 405


def test_an_approved_order_is_not_the_customers_to_cancel(client, otc_pack, patient):
    order = make_order([(otc_pack, 1)], customer=patient, email=patient.email)
    assert order.status == OrderStatus.APPROVED
    client.force_login(patient)
    response = client.post(f"/orders/{order.number}/cancel/", follow=True)
    assert "can no longer be cancelled online" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


# --- What the order page tells the customer


def test_rejection_reason_is_shown_and_no_staff_email(client, rx_pack, patient):
    pharmacist = make_pharmacist()
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    client.post(f"/orders/{order.number}/prescription/", {"file": make_prescription_upload()})
    services.review_order(order, pharmacist, approve_line_ids=[], reason="The prescription is for another medicine.")
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "Rejected" in html and "The prescription is for another medicine." in html
    assert "pharmacist@example.com" not in html
    assert "Cancel order" not in html


def test_lines_not_approved_are_marked_and_shipped_orders_show_tracking(client, medicine, patient):
    pharmacist = make_pharmacist()
    ten = make_product(medicine, "10 mg").packs.get()
    twenty = make_product(medicine, "20 mg").packs.get()
    order = make_order([(ten, 1), (twenty, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    client.post(f"/orders/{order.number}/prescription/", {"file": make_prescription_upload()})
    kept = order.lines.get(pack=ten)
    services.review_order(
        order,
        pharmacist,
        approve_line_ids=[kept.pk],
        reason="Only 10 mg is prescribed.",
        issued_on=timezone.localdate(),
        checks=CHECK_NAMES,
        prescriber_name="Dr Ada Example",
        prescriber_registration="GMC 1234567",
    )
    services.dispense(order, pharmacist, dispensing(order))
    services.ship(order, carrier=carrier(), by=pharmacist, tracking_number="TRK-123")
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "Not approved" in html and "line--removed" in html
    assert "Shipped" in html and "TRK-123" in html
    assert "$15.30" in html


def test_no_other_users_email_appears_on_the_customers_pages(client, otc_pack, rx_pack, patient):
    other = make_account("other@example.com")
    make_order([(otc_pack, 1)], customer=other, email=other.email)
    Address.objects.create(user=other, **dict(ADDRESS, line1="Other Street"))
    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    add(client, otc_pack)
    pages = ["/account/", "/account/orders/", "/cart/", "/checkout/", f"/orders/{order.number}/"]
    for url in pages:
        html = client.get(url).content.decode()
        assert "other@example.com" not in html, url
        assert "Other Street" not in html, url


def test_the_account_page_shows_the_latest_orders_that_orders_registers(client, otc_pack, patient):
    from tests.factories import make_order

    client.force_login(patient)
    assert "You have not ordered anything yet." in client.get("/account/").content.decode()
    orders = [make_order([(otc_pack, 1)], customer=patient, email=patient.email) for _ in range(4)]
    page = client.get("/account/").content.decode()
    shown = [order.number for order in orders if order.number in page]
    assert shown == [order.number for order in orders[1:]]  # the latest three, with a link to all
    assert 'href="/account/orders/"' in page

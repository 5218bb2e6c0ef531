"""Checkout basics and the e-mails a customer keeps (issue 13, points 5 and 6): shipping methods, countries and
their region field, addresses saved when asked, controlled medicines refused at the product box, several
prescription files, HTML and text e-mails whose every link starts with SITE_URL, and the site following SITE_URL."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Address
from orders import services
from orders.cart import Cart
from orders.forms import CheckoutForm
from orders.models import Order, OrderStatus
from orders.tests.conftest import approve_all, carrier, dispensing, place, send_to_review
from tests.factories import make_order, make_prescription_upload, make_user

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8401"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def checkout_data(client, **overrides):
    """The checkout form as a browser sends it (the token the page gave), a UK address, express shipping."""
    response = client.get("/checkout/")
    assert response.status_code == 200
    data = {
        "email": "guest@example.com",
        "full_name": "Sam Guest",
        "line1": "7 Mill Lane",
        "line2": "",
        "city": "Canterbury",
        "postcode": "CT1 1AA",
        "country": "United Kingdom",
        "state": "",
        "region": "Kent",
        "phone": "",
        "shipping": "express",
        "payment_method": "bank_transfer",
        "checkout_token": response.context["form"].initial["checkout_token"],
    }
    data.update(overrides)
    return data


def buy(client, pack, quantity=1, **overrides):
    assert client.post("/cart/add/", {"pack": pack.pk, "quantity": str(quantity)}).status_code == 303
    return client.post("/checkout/", checkout_data(client, **overrides))


def links(text: str) -> list[str]:
    """Every address in an e-mail part: bare URLs in the text, href and src values in the HTML."""
    return re.findall(r"""(?:href|src)=["']([^"']*)["']""", text) + re.findall(r"https?://[^\s<>\"']+", text)


# ---------------------------------------------------------------------------
# Acceptance 6: a guest buys an over-the-counter product with a shipping method


@override_settings(SITE_URL=SITE_URL)
def test_a_guests_confirmation_e_mail_has_the_summary_in_html_and_text_and_links_from_site_url(
    client, otc_pack, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = buy(client, otc_pack, 2)
    assert response.status_code == 303
    order = Order.objects.get()
    assert (order.shipping_method, order.shipping_label, order.shipping_cost) == (
        "express",
        "Express delivery",
        Decimal("12.95"),
    )
    assert order.total == Decimal("2.50") * 2 + Decimal("12.95")
    assert (order.country, order.region) == ("United Kingdom", "Kent")

    (message,) = mail.outbox
    assert message.to == ["guest@example.com"] and "Approved" in message.subject
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    text = message.body
    for part in (text, html):
        assert "Paracetamol 500 mg tablet — 16 tablets" in part  # the item
        assert "$2.50" in part and "$5.00" in part  # price per pack and line total
        assert "Express delivery" in part and "$12.95" in part  # shipping method and cost
        assert "$17.95" in part  # total
        for address in ("Sam Guest", "7 Mill Lane", "Canterbury, Kent CT1 1AA", "United Kingdom"):
            assert address in part
        assert f"quoting the reference {order.number}" in part  # the provider's payment instructions
        assert order.get_absolute_url().replace("&", "&amp;" if part is html else "&") in part
        found = links(part)
        assert found, "the e-mail links to the order"
        assert all(link.startswith(SITE_URL + "/") for link in found), found
    assert "2 × Paracetamol 500 mg tablet" in text and re.search(r">2</td>", html)  # the quantity
    assert "<img" not in html and "<script" not in html and "<link" not in html  # nothing loaded from anywhere
    assert html.count(f"{SITE_URL}/orders/{order.number}/") == 1


def test_the_shipped_e_mail_has_one_tracking_link_with_carrier_and_number(
    rx_pack, patient, pharmacist, django_capture_on_commit_callbacks
):
    order = send_to_review(place([(rx_pack, 1)], patient))
    approve_all(order, pharmacist)
    services.dispense(order, pharmacist, dispensing(order))
    ups = carrier()
    with django_capture_on_commit_callbacks(execute=True):
        services.ship(order, carrier=ups, by=pharmacist, tracking_number="1Z999")
    (message,) = mail.outbox
    tracking = ups.tracking_link("1Z999")
    html = message.alternatives[0][0]
    assert message.body.count(tracking) == 1 and html.count(f'href="{tracking}"') == 1
    assert message.body.count("Tracking number: 1Z999") == 1 and f"({ups.name})" in message.body
    # The number is printed once as such (the link carries it too), not twice.
    assert message.body.replace(tracking, "").count("1Z999") == 1


# ---------------------------------------------------------------------------
# Shipping methods


def test_place_order_adds_the_shipping_and_refuses_an_unknown_method(otc_pack):
    order = place([(otc_pack, 1)], shipping="standard")
    assert order.shipping_cost == Decimal("4.95") and order.total == Decimal("7.45")
    assert order.shipping_estimate == "3 to 5 working days"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Choose a shipping method"):
        place([(otc_pack, 1)], shipping="teleport")


def test_checkout_shows_the_methods_with_price_and_estimate_and_the_order_page_the_shipping(client, otc_pack):
    client.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1"})
    page = client.get("/checkout/").content.decode()
    assert "Standard delivery: $4.95 (3 to 5 working days)" in page
    assert "Express delivery: $12.95 (1 to 2 working days)" in page
    response = client.post("/checkout/", checkout_data(client, shipping=""))
    assert response.status_code == 400 and "Choose a shipping method." in response.content.decode()
    response = client.post("/checkout/", checkout_data(client))
    html = client.get(response["Location"]).content.decode()
    assert "Shipping: Express delivery" in html and "$15.45" in html


# ---------------------------------------------------------------------------
# Countries and their region field


def form(**data):
    base = {
        "email": "a@example.com",
        "full_name": "A B",
        "line1": "1 Road",
        "city": "Town",
        "postcode": "X1",
        "shipping": "standard",
        "payment_method": "pay_on_delivery",
        "checkout_token": "a" * 32,
    }
    return CheckoutForm({**base, **data})


def test_a_uk_address_keeps_its_country_and_optional_county():
    uk = form(country="United Kingdom", region="Kent")
    assert uk.is_valid(), uk.errors
    assert (uk.address["country"], uk.address["region"]) == ("United Kingdom", "Kent")
    no_county = form(country="United Kingdom")
    assert no_county.is_valid() and no_county.address["region"] == ""


def test_a_us_address_needs_a_state_from_the_list_and_unknown_countries_are_refused():
    missing = form(country="United States")
    assert not missing.is_valid() and missing.errors["state"] == ["Choose the state."]
    us = form(country="United States", state="Illinois", region="ignored")
    assert us.is_valid() and us.address["region"] == "Illinois"
    assert not form(country="United States", state="Atlantis").is_valid()
    elsewhere = form(country="Narnia")
    assert not elsewhere.is_valid() and "country" in elsewhere.errors
    canada = form(country="Canada", region="Ontario")
    assert canada.is_valid() and canada.address["region"] == "Ontario"


def test_the_checkout_page_offers_the_countries_and_the_region_fields(client, otc_pack):
    client.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1"})
    page = client.get("/checkout/").content.decode()
    assert '<select name="country"' in page and '<option value="United Kingdom">United Kingdom</option>' in page
    assert "State (United States)" in page and '<option value="Illinois">' in page
    assert "County or region (outside the United States)" in page and "Postcode / ZIP code" in page


# ---------------------------------------------------------------------------
# Addresses saved from checkout when asked


def test_a_signed_in_customer_s_address_is_saved_only_when_asked(client, otc_pack, patient):
    client.force_login(patient)
    assert buy(client, otc_pack, email=patient.email).status_code == 303
    assert not Address.objects.filter(user=patient).exists()
    assert buy(client, otc_pack, email=patient.email, save_address="on").status_code == 303
    saved = Address.objects.get(user=patient)
    assert (saved.line1, saved.region, saved.country, saved.is_default) == (
        "7 Mill Lane",
        "Kent",
        "United Kingdom",
        True,
    )
    # Typed again and asked again: still one address.
    assert buy(client, otc_pack, email=patient.email, saved_address="new", save_address="on").status_code == 303
    assert Address.objects.filter(user=patient).count() == 1


def test_a_guest_is_not_offered_to_save_the_address(client, otc_pack):
    client.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1"})
    assert "Save this address to my account" not in client.get("/checkout/").content.decode()
    assert buy(client, otc_pack, save_address="on").status_code == 303
    assert not Address.objects.exists()


# ---------------------------------------------------------------------------
# Not for sale: refused at the product box, with the reason


@override_settings(SELL_CONTROLLED_ONLINE=False)
def test_a_controlled_medicine_shows_the_reason_instead_of_add_to_cart(client, controlled_pack, otc_pack):
    html = client.get(controlled_pack.product.medicine.url).content.decode()
    assert "Not sold online." in html and "does not supply controlled medicines online" in html
    assert f'name="pack" value="{controlled_pack.pk}"' not in html
    response = client.post("/cart/add/", {"pack": controlled_pack.pk, "quantity": "1"}, follow=True)
    assert "does not supply controlled medicines online" in response.content.decode()
    assert Cart(client.session).quantities() == {}
    # An ordinary product still has its form.
    assert f'name="pack" value="{otc_pack.pk}"' in client.get(otc_pack.product.medicine.url).content.decode()


@override_settings(SELL_CONTROLLED_ONLINE=True)
def test_a_controlled_medicine_has_add_to_cart_where_the_pharmacy_sells_them(client, controlled_pack):
    html = client.get(controlled_pack.product.medicine.url).content.decode()
    assert "Not sold online." not in html and f'name="pack" value="{controlled_pack.pk}"' in html


# ---------------------------------------------------------------------------
# Several prescription files per order


def test_two_prescription_files_are_both_shown_to_the_pharmacist_and_to_nobody_else(
    client, rx_pack, patient, pharmacist
):
    from prescriptions.models import PrescriptionFile

    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    from django.core.files.uploadedfile import SimpleUploadedFile

    back = SimpleUploadedFile("back.png", PNG, content_type="image/png")
    response = client.post(f"/orders/{order.number}/prescription/", {"file": [make_prescription_upload(), back]})
    assert response.status_code == 303
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    prescription = order.prescription
    extra = PrescriptionFile.objects.get(prescription=prescription)
    assert prescription.content_type == "application/pdf" and extra.content_type == "image/png"
    assert extra.original_filename == "back.png"

    reviewer = Client()
    reviewer.force_login(pharmacist)
    html = reviewer.get(reverse("orders_admin:review", args=[order.pk])).content.decode()
    assert f"/prescriptions/{prescription.pk}/file/" in html
    assert f'src="/prescriptions/{prescription.pk}/files/{extra.pk}/"' in html and "File 2 of 2" in html
    served = reviewer.get(extra.url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG
    assert client.get(extra.url).status_code == 200  # the patient who sent it
    stranger = Client()
    stranger.force_login(make_user("stranger@example.com"))
    assert stranger.get(extra.url).status_code == 404
    assert Client().get(extra.url).status_code == 404


def test_a_bad_second_file_keeps_nothing(client, rx_pack, patient):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = make_order([(rx_pack, 1)], customer=patient, email=patient.email)
    client.force_login(patient)
    bad = SimpleUploadedFile("notes.txt", b"just text", content_type="image/png")
    response = client.post(f"/orders/{order.number}/prescription/", {"file": [make_prescription_upload(), bad]})
    assert response.status_code == 400 and "not a PDF, JPEG or PNG" in response.content.decode()
    order.refresh_from_db()
    assert order.prescription is None and order.status == OrderStatus.AWAITING_PRESCRIPTION


# ---------------------------------------------------------------------------
# The site record follows SITE_URL on every start


def test_the_site_follows_site_url_and_links_the_sitemap_and_feed_say_its_port(client, site_pages, settings):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "127.0.0.1", 8000  # where an earlier `make run` left it
    site.save()
    settings.SITE_URL = SITE_URL
    call_command("follow_site_url", stdout=open("/dev/null", "w"))  # noqa: SIM115
    site.refresh_from_db()
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8401, SITE_URL)
    home = client.get("/").content.decode()
    assert f'<link rel="canonical" href="{SITE_URL}/"' in home
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap.content.decode())
    assert locations and all(loc.startswith(SITE_URL + "/") for loc in locations)
    feed = client.get("/feed/").content.decode()
    assert SITE_URL + "/" in feed and ":8000" not in feed
    # Run again with the same SITE_URL: nothing moves.
    call_command("follow_site_url", stdout=open("/dev/null", "w"))  # noqa: SIM115
    site.refresh_from_db()
    assert site.port == 8401


def test_the_address_book_keeps_a_uk_address_as_uk_and_asks_a_us_address_for_its_state(client, patient):
    client.force_login(patient)
    data = {"full_name": "Sam", "line1": "7 Mill Lane", "line2": "", "city": "Canterbury", "postcode": "CT1 1AA"}
    response = client.post("/account/addresses/add/", {**data, "country": "United Kingdom", "phone": ""})
    assert response.status_code == 303
    assert Address.objects.get(user=patient).country == "United Kingdom"
    response = client.post("/account/addresses/add/", {**data, "country": "United States", "phone": ""})
    assert response.status_code == 400 and "Choose the state." in response.content.decode()
    response = client.post("/account/addresses/add/", {**data, "country": "United States", "region": "il"})
    assert response.status_code == 303 and Address.objects.filter(user=patient, region="Illinois").exists()

"""Ordering in a real browser: a guest buys an over-the-counter product, a patient a prescription-only one.

Each walk goes from the guide's price box through the cart and checkout to the
order page; the prescription is uploaded, a pharmacist approves it in the
Wagtail admin, the order is dispensed and shipped there, and the customer sees
every status on their order page.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# The root conftest.py's pharmacist and orders/tests/admin/conftest.py's allergic_patient, the same people, made
# in the live server's database (``live_site_pages``).


@pytest.fixture
def allergic_patient(live_site_pages):
    """``make_allergic_patient()``; in place of the root conftest's ``patient`` (same person), never beside it."""
    from tests.factories import make_allergic_patient

    return make_allergic_patient()


def log_in(page, live_site, email, admin=False):
    if admin:
        page.goto(f"{live_site}/admin/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", "pw")
        page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    else:
        page.goto(f"{live_site}/account/login/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill("pw")
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")


def add_first_pack_and_check_out(page, live_site, guide_url, *, email=None):
    page.goto(live_site + guide_url)
    page.locator(".product-box form.add-to-cart button").first.click()
    page.wait_for_load_state("load")
    page.goto(f"{live_site}/cart/")
    page.get_by_role("link", name="Go to checkout").click()
    if email:
        page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Full name").fill("Robin Patel")
    page.get_by_label("Address line 1").fill("1 High Street")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("Postcode / ZIP").fill("12345")
    page.get_by_label("Country").select_option("United States")
    page.get_by_label("State (United States)").select_option("Illinois")
    page.get_by_label(re.compile("^Standard delivery")).check()
    page.get_by_label("Pay on delivery").check()
    page.get_by_role("button", name=re.compile("Place the order")).click()
    page.wait_for_load_state("load")
    assert re.search(r"/orders/AP-[0-9A-F]+/", page.url), page.url
    return page.url


def order_admin_action(page, live_site, order, button, fields=None, choices=None):
    page.goto(f"{live_site}/admin/orders/{order.pk}/")
    for label, value in (fields or {}).items():
        page.get_by_label(label).fill(value)
    for label, option in (choices or {}).items():
        page.get_by_label(label).select_option(label=option)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")


def dispense_in_admin(page, live_site, order):
    """The dispense screen: a batch, an expiry and directions for every line, then "Mark dispensed"."""
    page.goto(f"{live_site}/admin/orders/{order.pk}/dispense/")
    expiry = (timezone.localdate() + timedelta(days=365)).isoformat()
    for field in page.locator("input[name$=batch_number]").all():
        field.fill("LOT-1")
    for field in page.locator("input[name$=expiry_date]").all():
        field.fill(expiry)
    for field in page.locator("textarea[name$=directions]").all():
        field.fill("Take one tablet three times a day.")
    page.get_by_role("button", name="Mark dispensed").click()
    page.wait_for_load_state("load")


def ship_in_admin(page, live_site, order, tracking_number):
    from orders.models import Carrier

    carrier, _ = Carrier.objects.get_or_create(
        name="Example Parcel Service", defaults={"tracking_url": "https://tracking.example/eps?number={tracking}"}
    )
    order_admin_action(
        page, live_site, order, "Mark shipped", {"Tracking number": tracking_number}, {"Carrier": carrier.name}
    )


def test_guest_buys_an_over_the_counter_product(page, browser, live_site, otc_guide, pharmacist, screenshot):
    from orders.models import Order

    order_url = add_first_pack_and_check_out(page, live_site, otc_guide.url, email="guest@example.com")
    assert "Approved" in page.locator("main").inner_text()
    screenshot(page, "guest-order")
    order = Order.objects.get()
    assert order.customer is None and order.shipping_method == "standard"
    assert order.total == order.lines.get().unit_price + order.shipping_cost

    staff = browser.new_context().new_page()
    log_in(staff, live_site, pharmacist.email, admin=True)
    dispense_in_admin(staff, live_site, order)
    ship_in_admin(staff, live_site, order, "TRACK-123")

    page.goto(order_url)  # the guest's signed link
    text = page.locator("main").inner_text()
    assert "Shipped" in text and "TRACK-123" in text
    for status in ("Placed", "Approved", "Dispensed", "Shipped"):
        assert status in text


def test_patient_orders_a_prescription_medicine_and_a_pharmacist_approves_it(
    page, browser, live_site, live_guide, allergic_patient, pharmacist, tmp_path, screenshot, axe, axe_report
):
    """The pharmacist's working day on one order: a question to the patient (on hold), the answer on the patient's
    order page, the approval as a repeat prescription, dispensing with batch and expiry, the label PDF, shipping
    with a carrier; then the patient reorders from the repeat."""
    import pypdfium2
    import time_machine

    from orders.models import Order, OrderStatus

    log_in(page, live_site, allergic_patient.email)
    order_url = add_first_pack_and_check_out(page, live_site, live_guide.url)
    assert "Awaiting prescription" in page.locator("main").inner_text()

    prescription = tmp_path / "prescription.pdf"
    prescription.write_bytes(PDF)
    page.locator("input[type=file]").set_input_files(str(prescription))
    page.get_by_role("button", name="Send the prescription").click()
    page.wait_for_load_state("load")
    assert "In pharmacist review" in page.locator("main").inner_text()
    violations = axe(page)
    assert violations == [], axe_report(violations)
    order = Order.objects.get()
    assert order.status == OrderStatus.IN_REVIEW

    # The pharmacist has a question: the order goes on hold.
    staff = browser.new_context(accept_downloads=True).new_page()
    log_in(staff, live_site, pharmacist.email, admin=True)
    staff.goto(f"{live_site}/admin/orders/review/")
    staff.get_by_role("link", name=re.compile(order.number)).first.click()
    staff.wait_for_load_state("load")
    assert "penicillin" in staff.locator("main").inner_text()  # the patient's allergies beside the order
    review_url = staff.url
    staff.get_by_label("Question to the patient").fill("Do you take any other muscle relaxant?")
    staff.get_by_role("button", name="Put on hold and ask the patient").click()
    staff.wait_for_load_state("load")
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_HOLD

    # The patient answers on their order page; the order comes back to review.
    page.goto(order_url)
    assert "Do you take any other muscle relaxant?" in page.locator("main").inner_text()
    page.get_by_label("Your answer").fill("No, only this one.")
    page.get_by_role("button", name="Send your answer").click()
    page.wait_for_load_state("load")
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW

    # The pharmacist reads the answer and approves: a repeat prescription of two issues, a week apart.
    staff.goto(review_url)
    assert "No, only this one." in staff.locator("main").inner_text()
    for checkbox in staff.locator("form input[type=checkbox][name^=approve-checked]").all():
        checkbox.check()
    written = timezone.localdate() - timedelta(days=5)  # the server's today (CI runs the suite in 2028)
    staff.get_by_label("Date on the prescription").fill(written.isoformat())
    staff.get_by_label(re.compile(r"Prescriber's name")).fill("Dr Ada Example")  # as on the prescription
    staff.get_by_label(re.compile(r"Prescriber's registration number")).fill("GMC 1234567")
    staff.get_by_label("Issues allowed").fill("2")
    staff.get_by_label("Interval (days)").fill("7")
    for field in staff.locator("[name^=approve-directions_]").all():
        field.fill("Take one tablet three times a day.")
    screenshot(staff, "pharmacist-review")
    staff.get_by_role("button", name="Approve the ticked lines").click()
    staff.wait_for_load_state("load")
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED

    dispense_in_admin(staff, live_site, order)
    line = order.lines.get()
    assert (line.batch_number, line.expiry_date is not None) == ("LOT-1", True)

    # The dispensing label, as the pharmacist downloads it, says whose medicine it is and how to take it.
    staff.goto(f"{live_site}/admin/orders/{order.pk}/")
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Download the dispensing labels (PDF)").click()
    label = pypdfium2.PdfDocument(Path(download.value.path()).read_bytes())
    text = " ".join(page_.get_textpage().get_text_range() for page_ in label)
    label.close()
    assert "Robin Patel" in text and "Take one tablet three times a day." in text and "LOT-1" in text

    ship_in_admin(staff, live_site, order, "TRACK-RX-9")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED

    page.goto(order_url)
    text = page.locator("main").inner_text()
    for status in ("Awaiting prescription", "In pharmacist review", "On hold", "Approved", "Dispensed", "Shipped"):
        assert status in text, status
    assert "TRACK-RX-9" in text and "1 of 2 issues left" in text
    screenshot(page, "patient-order-shipped")

    # A week and a day later, the patient reorders from the repeat: approved at once against the same item.
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=True):
        page.goto(order_url)
        page.get_by_role("button", name="Reorder").click()
        page.wait_for_load_state("load")
        again = Order.objects.exclude(pk=order.pk).get()
        assert again.reorder_of == order and again.status == OrderStatus.APPROVED
        assert again.lines.get().prescription_item == line.prescription_item
        assert again.number in page.url and "Approved" in page.locator("main").inner_text()

"""What a pharmacy must know, asked once at checkout: a prescription or pharmacy-medicine cart whose patient has not
given their date of birth and allergy answer asks for them; a signed-in patient's answers go to their account, a
guest's onto the order."""

from __future__ import annotations

from datetime import date

import pytest

from medicines.models import LegalStatus
from orders.models import Order
from orders.services.health import health_details
from orders.tests.test_views import add, checkout_form
from tests.factories import make_medicine, make_product, make_user

pytestmark = pytest.mark.django_db

HEALTH = {
    "health-date_of_birth": "1975-06-30",
    "health-allergy_answer": "listed",
    "health-allergies": "penicillin, latex",
    "health-current_medicines": "sertraline 50 mg",
}


@pytest.fixture
def pharmacy_pack(site_pages, drug_class):
    """A pharmacy medicine (P): sold without a prescription, after a pharmacist's check."""
    guide = make_medicine(site_pages["medicines"], drug_class, "Hyoscine", legal_status=LegalStatus.PHARMACY)
    return make_product(guide, strength="300 mcg", packs=((12, "3.00", 20),)).packs.get()


def test_a_patient_without_health_details_is_asked_once_and_they_go_to_the_account(client, rx_pack):
    patient = make_user("new@example.com")
    client.force_login(patient)
    add(client, rx_pack)
    page = client.get("/checkout/").content.decode()
    assert "Your health details for the pharmacist" in page and "No known allergies" in page

    form = checkout_form(client, email=patient.email)
    response = client.post("/checkout/", form)
    assert response.status_code == 400 and not Order.objects.exists()
    html = response.content.decode()
    assert "Enter your date of birth." in html and "Tell us whether you have any allergies." in html

    response = client.post("/checkout/", {**form, **HEALTH, "health-allergies": ""})
    assert response.status_code == 400 and "List your allergies, or choose “No known allergies”." in (
        response.content.decode()
    )

    response = client.post("/checkout/", {**form, **HEALTH})
    assert response.status_code == 303
    patient.refresh_from_db()
    assert patient.date_of_birth == date(1975, 6, 30) and patient.allergy_list == ["penicillin", "latex"]
    assert patient.current_medicine_list == ["sertraline 50 mg"] and patient.health_details_updated_at
    assert health_details(Order.objects.get()).complete

    add(client, rx_pack)
    assert "Your health details for the pharmacist" not in client.get("/checkout/").content.decode()


def test_a_guest_buying_a_pharmacy_medicine_gives_their_details_on_the_order(client, pharmacy_pack):
    add(client, pharmacy_pack)
    assert "Your health details for the pharmacist" in client.get("/checkout/").content.decode()
    questionnaire = {  # the pharmacy medicine's own questions (orders/tests/test_pharmacy_medicines.py)
        f"product-{pharmacy_pack.product_id}-{name}": answer
        for name, answer in {"for_whom": "myself", "age": "51", "medicines": "sertraline", "conditions": "none"}.items()
    }
    response = client.post(
        "/checkout/",
        {**checkout_form(client), **HEALTH, **questionnaire, "health-allergy_answer": "none", "health-allergies": ""},
    )
    assert response.status_code == 303
    order = Order.objects.get()
    assert (order.patient_date_of_birth, order.patient_allergy_answer) == (date(1975, 6, 30), "none")
    assert order.patient_current_medicines == "sertraline 50 mg"
    assert health_details(order).allergy_label == "No known allergies"


def test_an_over_the_counter_cart_asks_no_health_details(client, otc_pack):
    add(client, otc_pack)
    assert "Your health details for the pharmacist" not in client.get("/checkout/").content.decode()

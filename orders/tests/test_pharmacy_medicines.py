"""Pharmacy medicines (P) and per-product limits: how many packs one order may hold (refused at the cart and when
the order is placed), and the questionnaire a P medicine asks at checkout."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.models import Pack
from medicines.models import LegalStatus, PharmacyQuestion, QuestionKind
from orders import services
from orders.cart import Cart
from orders.models import Order, OrderStatus
from orders.services import InvalidTransition, OrderError
from orders.tests.conftest import dispensing, place, stock
from tests.factories import approve, make_medicine, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def p_medicine(site_pages, drug_class):
    """A made-up pharmacy medicine (P) with one question of its own."""
    page = make_medicine(site_pages["medicines"], drug_class, "Examplofen", legal_status=LegalStatus.PHARMACY)
    PharmacyQuestion.objects.create(page=page, question="Have you taken it before?", kind=QuestionKind.YES_NO)
    return page


@pytest.fixture
def p_product(p_medicine):
    """Examplofen 200 mg tablets, at most 2 packs an order: 16 tablets ($3.00) and 32 tablets ($5.00)."""
    product = make_product(p_medicine, strength="200 mg", packs=((16, "3.00", 20), (32, "5.00", 20)))
    product.max_packs_per_order = 2
    product.save(update_fields=["max_packs_per_order"])
    return product


def packs_of(product) -> tuple[Pack, Pack]:
    small, large = product.packs.order_by("units")
    return small, large


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Quantity limits


def test_the_limit_counts_every_pack_size_and_place_order_refuses_more(p_product, otc_pack):
    small, large = packs_of(p_product)
    with pytest.raises(OrderError, match=r"Examplofen 200 mg tablet: at most 2 pack\(s\) per order.*has 3"):
        place([(small, 2), (large, 1), (otc_pack, 1)], email="guest@example.com")
    assert not Order.objects.exists()
    assert (stock(small), stock(large), stock(otc_pack)) == (20, 20, 50)
    with pytest.raises(OrderError, match="at most 2"):
        place([(small, 3)], email="guest@example.com")
    # A product without a limit of its own keeps the shop's limit per line (20), whatever its other pack sizes.
    bigger = Pack.objects.create(product=otc_pack.product, units=32, price="4.50", stock=50, sku="SKU-OTC-32")
    approve(otc_pack.product)
    order = place([(otc_pack, 15), (bigger, 10)], email="guest@example.com")
    assert sorted(order.lines.values_list("quantity", flat=True)) == [10, 15]


def test_adding_over_the_limit_keeps_what_is_allowed_and_says_so(client, p_product):
    small, large = packs_of(p_product)
    response = client.post("/cart/add/", {"pack": small.pk, "quantity": "5"}, follow=True)
    assert Cart(client.session).quantities() == {small.pk: 2}
    assert messages_of(response) == [
        "At most 2 packs of Examplofen 200 mg tablet per order, all pack sizes together: "
        "your cart now has 2 × Examplofen 200 mg tablet (16 tablets)."
    ]
    response = client.post("/cart/add/", {"pack": large.pk, "quantity": "1"}, follow=True)
    assert response.status_code == 200
    assert Cart(client.session).quantities() == {small.pk: 2}
    assert "At most 2 packs of Examplofen 200 mg tablet per order" in messages_of(response)[0]
    html = response.content.decode()
    assert 'max="2"' in html  # the cart's quantity box follows the limit
    assert 'Sold after a pharmacist&#x27;s check</span> <span class="unit">A pharmacist\'s questions' in html


def test_updating_over_the_limit_keeps_what_is_allowed_and_says_so(client, p_product):
    small, large = packs_of(p_product)
    client.post("/cart/add/", {"pack": small.pk, "quantity": "1"}, follow=True)
    client.post("/cart/add/", {"pack": large.pk, "quantity": "1"}, follow=True)
    response = client.post("/cart/update/", {"pack": small.pk, "quantity": "4"}, follow=True)
    assert response.status_code == 200
    assert Cart(client.session).quantities() == {small.pk: 1, large.pk: 1}
    assert "At most 2 packs of Examplofen 200 mg tablet per order" in messages_of(response)[0]
    client.post("/cart/remove/", {"pack": large.pk}, follow=True)
    response = client.post("/cart/update/", {"pack": small.pk, "quantity": "9"}, follow=True)
    assert Cart(client.session).quantities() == {small.pk: 2}
    assert "your cart now has 2 × Examplofen 200 mg tablet (16 tablets)" in messages_of(response)[-1]


def test_the_product_boxs_quantity_box_follows_the_limit(client, p_product, p_medicine):
    html = client.get(p_medicine.url).content.decode()
    maxima = re.findall(r'<input type="number" name="quantity" value="1" min="1" max="(\d+)"', html)
    assert maxima == ["2", "2"]


# --- The questionnaire at checkout

STANDARD = [
    "Who is the medicine for?",
    "How old is the person who will take it?",
    "What other medicines do they take?",
    "What medical conditions do they have?",
]


def checkout_data(client, product, **answers):
    """The checkout form as a guest's browser sends it, with ``answers`` to the questionnaire of ``product``."""
    response = client.get("/checkout/")
    assert response.status_code == 200
    data = {
        "email": "guest@example.com",
        "full_name": "Robin Patient",
        "line1": "1 High Street",
        "city": "Springfield",
        "postcode": "12345",
        "country": "United States",
        "state": "Illinois",
        "shipping": "standard",
        "payment_method": "pay_on_delivery",
        "checkout_token": response.context["form"].initial["checkout_token"],
        # The guest's own health details (orders/tests/test_health_checkout.py), asked beside the questionnaire.
        "health-date_of_birth": "1990-01-15",
        "health-allergy_answer": "none",
    }
    data.update({f"product-{product.pk}-{name}": value for name, value in answers.items()})
    return data


def own_question_field(p_medicine) -> str:
    return f"question_{p_medicine.pharmacy_questions.get().pk}"


def test_a_guest_answers_the_questionnaire_and_the_order_keeps_the_answers(client, p_product, p_medicine):
    small, _ = packs_of(p_product)
    client.post("/cart/add/", {"pack": small.pk, "quantity": "1"})
    html = client.get("/checkout/").content.decode()
    assert "Questions from the pharmacist: Examplofen 200 mg tablet" in html
    for question in [*STANDARD, "Have you taken it before?"]:
        assert question in html
    answers = {
        "for_whom": "someone_else",
        "for_name": "Sam Example",
        "age": "34",
        "medicines": "none",
        "conditions": "Asthma <script>",
        own_question_field(p_medicine): "No",
    }
    response = client.post("/checkout/", checkout_data(client, p_product, **answers))
    assert response.status_code == 303, response.content.decode()[:3000]
    order = Order.objects.get()
    assert order.health_answers == [
        {
            "product": "Examplofen 200 mg tablet",
            "product_id": p_product.pk,
            "questions": [
                {"question": "Who is the medicine for?", "answer": "Someone else: Sam Example"},
                {"question": "How old is the person who will take it?", "answer": "34"},
                {"question": "What other medicines do they take?", "answer": "none"},
                {"question": "What medical conditions do they have?", "answer": "Asthma <script>"},
                {"question": "Have you taken it before?", "answer": "No"},
            ],
        }
    ]


def test_a_guests_pharmacy_medicine_waits_for_a_pharmacist_who_reads_the_answers(
    client, p_product, p_medicine, pharmacist
):
    """Issue 12, acceptance 4: bought by a guest, the P medicine waits for a pharmacist; the questionnaire's answers
    (and the guest's health details) are on the review screen; only the pharmacist's approval lets it go on."""
    small, _ = packs_of(p_product)
    client.post("/cart/add/", {"pack": small.pk, "quantity": "1"})
    answers = {"for_whom": "myself", "age": "34", "medicines": "sertraline", "conditions": "Asthma <script>"}
    response = client.post(
        "/checkout/", checkout_data(client, p_product, **answers, **{own_question_field(p_medicine): "No"})
    )
    assert response.status_code == 303
    order = Order.objects.get()
    line = order.lines.get()
    assert order.customer is None and order.status == OrderStatus.IN_REVIEW and line.pharmacy_medicine
    with pytest.raises(InvalidTransition):  # nothing is dispensed before a pharmacist approves
        services.dispense(order, pharmacist, dispensing(order))

    reviewer = Client()
    reviewer.force_login(pharmacist)
    html = reviewer.get(reverse("orders_admin:review_queue")).content.decode()
    assert order.number in html
    html = reviewer.get(reverse("orders_admin:review", args=[order.pk])).content.decode()
    for shown in (
        "Have you taken it before?",
        "sertraline",
        "Asthma &lt;script&gt;",
        "15 Jan 1990",
        "No known allergies",
    ):
        assert shown in html, shown
    assert "Asthma <script>" not in html

    services.review_order(order, pharmacist, approve_line_ids=[line.pk], p_checks=services.P_CHECK_NAMES)
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == OrderStatus.APPROVED and line.pharmacist_approved_by == pharmacist


def test_checkout_without_the_answers_is_refused_and_says_why(client, p_product, p_medicine, otc_pack):
    small, _ = packs_of(p_product)
    client.post("/cart/add/", {"pack": small.pk, "quantity": "1"})
    client.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1"})
    response = client.post("/checkout/", checkout_data(client, p_product))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please answer every question about Examplofen 200 mg tablet." in html
    assert "Answer “Who is the medicine for?”" in html and "Answer “Have you taken it before?”" in html
    # For someone else, their name is needed; a yes/no question takes yes or no.
    answers = {"for_whom": "someone_else", "age": "34", "medicines": "none", "conditions": "none"}
    response = client.post(
        "/checkout/", checkout_data(client, p_product, **answers, **{own_question_field(p_medicine): "Maybe"})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the name of the person the medicine is for." in html and "Select a valid choice" in html
    assert not Order.objects.exists() and stock(small) == 20


def test_place_order_refuses_a_pharmacy_medicine_without_its_answers(p_product, p_medicine, otc_pack):
    small, _ = packs_of(p_product)
    with pytest.raises(OrderError, match="answer “Who is the medicine for\\?”"):
        place([(small, 1), (otc_pack, 1)], email="guest@example.com", health_answers=[])
    answered = [{"question": question, "answer": "none"} for question in STANDARD]
    entry = {"product": "Examplofen 200 mg tablet", "product_id": p_product.pk, "questions": answered}
    with pytest.raises(OrderError, match="answer “Have you taken it before\\?”"):
        place([(small, 1)], email="guest@example.com", health_answers=[entry])
    own = {"question": "Have you taken it before?", "answer": "Perhaps"}
    with pytest.raises(OrderError, match="Have you taken it before"):
        place([(small, 1)], email="guest@example.com", health_answers=[{**entry, "questions": [*answered, own]}])
    assert not Order.objects.exists() and stock(small) == 20
    own["answer"] = "Yes"
    otc_entry = {"product": "Paracetamol", "product_id": otc_pack.product_id, "questions": answered}
    order = place(
        [(small, 1), (otc_pack, 1)],
        email="guest@example.com",
        health_answers=[otc_entry, {**entry, "questions": [*answered, own]}],
    )
    assert [entry["product_id"] for entry in order.health_answers] == [p_product.pk]  # only the P product's kept
    assert order.health_answers[0]["questions"][-1] == {"question": "Have you taken it before?", "answer": "Yes"}


def test_an_order_without_pharmacy_medicines_asks_nothing(client, otc_pack):
    client.post("/cart/add/", {"pack": otc_pack.pk, "quantity": "1"})
    assert "Questions from the pharmacist" not in client.get("/checkout/").content.decode()
    assert place([(otc_pack, 1)], email="guest@example.com").health_answers == []


def test_the_public_guide_does_not_show_the_pharmacists_questions(client, p_product, p_medicine):
    html = client.get(p_medicine.url).content.decode()
    assert "Examplofen" in html and "Have you taken it before?" not in html

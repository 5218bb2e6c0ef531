"""Fixtures for the API's tests: a small published catalogue beside content that must never appear, and tokens."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from medicines.services import approve_and_publish
from tests.factories import (
    ADDRESS,
    FrequencyBand,
    make_article,
    make_drug_class,
    make_medicine,
    make_pharmacist,
    make_product,
    make_reference,
    make_user,
)


def add_unpublished(parent, page):
    """Add ``page`` under ``parent`` as a draft that was never published."""
    page.live = False
    parent.add_child(instance=page)
    page.save_revision()
    return page


@pytest.fixture(scope="module")
def catalogue_of_the_module(django_db_setup, django_db_blocker):
    """``build_catalogue``, made once for a test module and rolled back after it; each test rolls back its own
    changes inside it (as the ``demo`` fixture does)."""
    from django.db import transaction

    from home.services import build_site
    from tests.factories import make_baclofen

    with django_db_blocker.unblock(), transaction.atomic():
        pages = build_site()
        drug_class = make_drug_class(pages["classes"])
        yield build_catalogue(pages, drug_class, make_baclofen(pages["medicines"], drug_class))
        transaction.set_rollback(True)


@pytest.fixture
def catalogue(catalogue_of_the_module, db):
    """The module's catalogue, each object read afresh from the database for the test (a test may change them)."""
    return {name: type(thing).objects.get(pk=thing.pk) for name, thing in catalogue_of_the_module.items()}


def build_catalogue(site_pages, drug_class, medicine) -> dict:
    """Two published guides in two classes, their products, an article; and a draft guide, an unpublished
    article and an inactive product that the API must never show."""
    from articles.models import ArticlePage
    from catalogue.models import DosageForm
    from medicines.models import LegalStatus, MedicinePage

    pharmacist = make_pharmacist("reviewer@example.com")
    pharmacist.credentials = "PharmD"
    pharmacist.save()
    medicine.boxed_warning = "Do not stop taking it suddenly."
    medicine.pregnancy = "Ask your doctor."
    approve_and_publish(medicine, pharmacist)  # the review stamp: this pharmacist, today

    tablets = make_product(medicine, "10 mg", packs=((30, "15.30", 10), (90, "39.90", 0)))
    solution = make_product(medicine, "5 mg/5 mL", form=DosageForm.ORAL_SOLUTION, packs=((300, "24.00", 0),))
    inactive = make_product(medicine, "25 mg", packs=((30, "19.99", 4),))
    inactive.active = False
    inactive.save()

    analgesics = make_drug_class(site_pages["classes"], "Analgesics")
    paracetamol = make_medicine(
        site_pages["medicines"],
        analgesics,
        "Paracetamol",
        legal_status=LegalStatus.GENERAL_SALE,
        tags=["pain"],
        side_effects=[("Rash", FrequencyBand.RARE, None, None)],
    )
    paracetamol_tablets = make_product(paracetamol, "500 mg", packs=((16, "2.50", 50),))

    draft = add_unpublished(
        site_pages["medicines"],
        MedicinePage(
            title="Draftozine",
            generic_name="draftozine",
            active_ingredients="draftozine",
            drug_class=drug_class,
            summary="Not published yet.",
            how_it_works="<p>Unknown.</p>",
            how_to_take="<p>Unknown.</p>",
            warnings="<p>Unknown.</p>",
        ),
    )
    draft_product = make_product(draft, "1 mg", packs=((10, "1.00", 5),))

    source = make_reference(authors="Chou R, Peterson K", title="Muscle relaxants review", pmid="15081372")
    article = make_article(
        site_pages["articles"],
        "Stopping baclofen safely",
        body=[
            ("heading", {"text": "Why taper", "level": "h2"}),
            ("paragraph", '<p>Taper <b>slowly</b>.<script>alert("x")</script></p>'),
            ("quote", {"quote": "Withdrawal can be serious.", "reference": source}),
            (
                "table",
                {
                    "caption": "Doses",
                    "table": {"data": [["Week", "Dose"], ["1", "10 mg"]], "first_row_is_table_header": True},
                    "reference": source,
                },
            ),
            ("product_box", {"medicine": medicine}),
            ("product_box", {"medicine": draft}),
        ],
        references=[source],
        tags=["spasticity"],
    )
    hidden_article = add_unpublished(
        site_pages["articles"], ArticlePage(title="Secret plans", summary="Not for readers.", body=[])
    )
    return {
        "medicine": medicine,
        "pharmacist": pharmacist,
        "tablets": tablets,
        "solution": solution,
        "inactive": inactive,
        "analgesics": analgesics,
        "paracetamol": paracetamol,
        "paracetamol_tablets": paracetamol_tablets,
        "draft": draft,
        "draft_product": draft_product,
        "article": article,
        "hidden_article": hidden_article,
        "source": source,
    }


@pytest.fixture
def staff_member(site_pages):
    """A pharmacist (staff, with the catalogue and order permissions the scopes need)."""
    return make_pharmacist("api-owner@example.com")


@pytest.fixture
def make_token(staff_member):
    """``make_token(scopes, owner=None)`` -> (ApiToken, raw token), made through ``api.services``."""
    from api import services

    def make(scopes=("catalogue:write", "orders:read"), owner=None):
        owner = owner or staff_member
        return services.create_token(name="Test script", owner=owner, scopes=list(scopes), created_by=owner)

    return make


def bearer(raw_token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}


@pytest.fixture
def private_order_in_review(catalogue):
    """A prescription order waiting for the pharmacist, with a prescription file attached, of a patient whose
    private details (birth date, allergies, file name) the API must never show to the wrong reader."""
    from orders import services
    from prescriptions import services as prescription_services
    from tests.factories import make_prescription_upload

    patient = make_user(
        "robin.private@example.com",
        first_name="Robin",
        last_name="Patel",
        date_of_birth=date(1961, 2, 3),
        allergy_answer="listed",
        allergies="sulfamethoxazole",
    )
    pack = catalogue["tablets"].packs.get(units=30)
    order = services.place_order(
        quantities={pack.pk: 1},
        customer=patient,
        email=patient.email,
        address=dict(ADDRESS),
        payment_method="pay_on_delivery",
        checkout_token=uuid.uuid4().hex,
    )
    prescription = prescription_services.submit_prescription(
        patient, upload=make_prescription_upload("robin-rx-private.pdf")
    )
    services.attach_prescription(order, prescription)
    order.refresh_from_db()
    return order

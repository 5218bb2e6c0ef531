"""Clinical screening (issue 12, acceptance 1 and 2): class interactions, the patient's other open orders, what was
dispensed to them recently and what they declare, duplicate therapy, age limits, and what cannot be screened; and the
gate that refuses to approve an order whose patient's date of birth or allergy answer is missing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from medicines.models import ClassMembership, Interaction, InteractionSeverity, ScreeningClass
from orders import services
from orders.models import OrderEvent, OrderStatus
from orders.services.health import health_details, require_health_details
from orders.tests.admin.conftest import approve_data, messages_of, rx_line_ids, url
from orders.tests.conftest import approve_all, force_status, place, send_to_review
from tests.factories import health_on_file, make_medicine, make_product, make_reference, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cns(db):
    return ScreeningClass.objects.create(name="CNS depressants", other_names="central nervous system depressants")


def relaxant(site_pages, drug_class, title, cns, *, row, screening_class=None, **fields):
    """A prescription guide of the shared "Muscle relaxants" drug class, a member of CNS depressants, whose one
    interaction row names CNS depressants; and a pack of it."""
    reference = make_reference(title=f"{title} label", url=f"https://labels.example/{title.lower()}")
    guide = make_medicine(site_pages["medicines"], drug_class, title, references=[reference], **fields)
    ClassMembership.objects.create(page=guide, screening_class=cns, reference=reference, sort_order=0)
    Interaction.objects.create(
        page=guide,
        substance=row,
        screening_class=screening_class,
        severity=InteractionSeverity.MODERATE,
        effect="Additive drowsiness.",
        reference=reference,
        sort_order=0,
    )
    return make_product(guide, packs=((30, "10.00", 20),)).packs.get()


@pytest.fixture
def packs(site_pages, drug_class, rx_pack, medicine, cns):
    """Baclofen (the row names the class by its screening_class), tizanidine (by the class's other name in the
    row's text, with an age limit "in adults"), cyclobenzaprine (by the class's name in the row's text)."""
    reference = medicine.guide_references.first().reference
    ClassMembership.objects.create(page=medicine, screening_class=cns, reference=reference, sort_order=0)
    Interaction.objects.create(
        page=medicine,
        substance="Other CNS-acting medicines",
        screening_class=cns,
        severity=InteractionSeverity.MODERATE,
        effect="Additive CNS depression.",
        reference=reference,
        sort_order=0,
    )
    return {
        "baclofen": rx_pack,
        "tizanidine": relaxant(
            site_pages, drug_class, "Tizanidine", cns, row="Central nervous system depressants", minimum_age=18
        ),
        "cyclobenzaprine": relaxant(site_pages, drug_class, "Cyclobenzaprine", cns, row="Alcohol and CNS depressants"),
    }


def of_kind(screened, kind):
    return [finding for finding in screened.findings if finding.kind == kind]


def dispensed_days_ago(order, days):
    """``order`` dispensed ``days`` ago and shipped (its history written as the services would have)."""
    when = timezone.now() - timedelta(days=days)
    OrderEvent.objects.create(order=order, from_status="approved", to_status=OrderStatus.DISPENSED, created_at=when)
    force_status(order, OrderStatus.SHIPPED)


def test_three_muscle_relaxants_in_one_order_give_class_interactions_and_duplicate_therapy(packs, patient):
    order = place([(packs["baclofen"], 1), (packs["tizanidine"], 1), (packs["cyclobenzaprine"], 1)], patient)
    screened = services.screening(order)

    interactions = of_kind(screened, "interaction")
    # Each guide's CNS row names both others: by its screening class, its other name, or its name in the text.
    assert len(interactions) == 6
    pairs = {finding.message.split(" (")[0] for finding in interactions}
    assert "Baclofen and Tizanidine" in pairs and "Tizanidine and Cyclobenzaprine" in pairs
    assert "Cyclobenzaprine and Baclofen" in pairs
    for finding in interactions:
        assert (
            finding.severity == "Moderate: use with caution"
            and not finding.severe
            and finding.where == "both in this order"
        )
        assert "is one of the CNS depressants" in finding.message
    tizanidine_row = next(f for f in interactions if f.source.guide == "Tizanidine")
    assert tizanidine_row.source.row == "Central nervous system depressants"
    assert tizanidine_row.source.reference.endswith("Tizanidine label")
    assert tizanidine_row.source.reference_url.startswith("https://doi.org/10.5555/")

    [duplicate] = of_kind(screened, "duplicate")
    assert duplicate.message.startswith("Duplicate therapy: 3 Muscle relaxants")
    assert all(name in duplicate.message for name in ("Baclofen", "Tizanidine", "Cyclobenzaprine"))
    assert screened.level == "warning" and screened.colour == "amber"
    assert screened.coverage == (
        "3 lines in this order, 0 open orders, 0 medicines dispensed in the last 90 days, 0 declared"
    )
    # The old interface, for the review's override rule: the same findings.
    assert [f.message for f in services.safety_checks(order)] == [f.message for f in screened.findings]


def test_a_medicine_shipped_last_month_is_screened_with_the_new_order(packs, patient):
    shipped = place([(packs["tizanidine"], 1)], patient)
    dispensed_days_ago(shipped, 30)
    too_old = place([(packs["cyclobenzaprine"], 1)], patient)
    dispensed_days_ago(too_old, 120)  # outside SCREENING_CURRENT_DAYS (90): no longer a current medicine
    order = place([(packs["baclofen"], 1)], patient)

    screened = services.screening(order)
    day = timezone.localtime(timezone.now() - timedelta(days=30))
    where = f"dispensed on {day.day} {day:%b %Y} in order {shipped.number}"
    interactions = of_kind(screened, "interaction")
    assert {(f.source.guide, f.where) for f in interactions} == {("Baclofen", where), ("Tizanidine", where)}
    baclofen_row = next(f for f in interactions if f.source.guide == "Baclofen")
    assert (
        baclofen_row.source.row == "Other CNS-acting medicines"
        and baclofen_row.severity == "Moderate: use with caution"
    )
    assert "Cyclobenzaprine" not in " ".join(f.message for f in screened.findings)
    [duplicate] = of_kind(screened, "duplicate")
    assert "Baclofen (in this order)" in duplicate.message and f"Tizanidine ({where})" in duplicate.message
    assert screened.coverage.startswith("1 line in this order, 0 open orders, 1 medicine dispensed in the last 90")


def test_another_open_order_is_screened(packs, patient):
    other = place([(packs["cyclobenzaprine"], 1)], patient)
    order = place([(packs["baclofen"], 1)], patient)
    screened = services.screening(order)
    assert {f.where for f in of_kind(screened, "interaction")} == {f"in open order {other.number}"}
    assert screened.open_orders == 1


def test_declared_medicines_are_matched_to_guides_or_cannot_be_screened(packs, patient, medicine):
    Interaction.objects.create(
        page=medicine,
        substance="Fluvoxamine",
        severity=InteractionSeverity.CONTRAINDICATED,
        effect="Do not combine.",
        reference=medicine.guide_references.first().reference,
        sort_order=1,
    )
    patient.current_medicines = "Tizanidine 4 mg at night, fluvoxamine, St John's wort"
    patient.save()
    order = place([(packs["baclofen"], 1)], patient)
    screened = services.screening(order)

    declared = "declared by the patient as “Tizanidine 4 mg at night”"
    assert {f.where for f in of_kind(screened, "interaction") if f.source.row != "Fluvoxamine"} == {declared}
    [fluvoxamine] = [f for f in of_kind(screened, "interaction") if f.source.row == "Fluvoxamine"]
    assert fluvoxamine.severe and fluvoxamine.where == "declared by the patient as “fluvoxamine”"
    cannot = [f.message for f in of_kind(screened, "cannot_screen")]
    assert cannot == [
        "Cannot screen: “fluvoxamine” is not in the screening data; check it yourself.",
        "Cannot screen: “St John's wort” is not in the screening data; check it yourself.",
    ]
    assert screened.level == "severe" and screened.colour == "red"
    assert screened.coverage.endswith("3 declared")


def test_a_declared_brand_name_is_matched(site_pages, drug_class, rx_pack, medicine, patient):
    tizanidine = make_medicine(site_pages["medicines"], drug_class, "Tizanidine", brand_names="Zanaflex (US)")
    Interaction.objects.create(
        page=medicine,
        substance="Tizanidine",
        severity=InteractionSeverity.MAJOR,
        effect="Low blood pressure.",
        reference=make_reference(),
        sort_order=0,
    )
    patient.current_medicines = "zanaflex"
    patient.save()
    screened = services.screening(place([(rx_pack, 1)], patient))
    [interaction] = of_kind(screened, "interaction")
    assert interaction.severe and interaction.where == "declared by the patient as “zanaflex”"
    assert not of_kind(screened, "cannot_screen") and tizanidine.title in interaction.message


def test_an_age_outside_the_guides_limit_is_a_finding(packs, patient):
    patient.date_of_birth = timezone.localdate().replace(year=timezone.localdate().year - 16, month=1, day=1)
    patient.save()
    screened = services.screening(place([(packs["tizanidine"], 1)], patient))
    [age] = of_kind(screened, "age")
    assert age.message == "The patient is 16; the Tizanidine guide states use 18 years and over."
    assert age.source.guide == "Tizanidine" and screened.level == "warning"

    patient.date_of_birth = date(1980, 2, 29)
    patient.save()
    assert not of_kind(services.screening(place([(packs["tizanidine"], 1)], patient)), "age")


def test_missing_date_of_birth_or_allergy_answer_is_amber_never_clear(rx_pack):
    nothing_on_file = make_user("new@example.com")
    screened = services.screening(place([(rx_pack, 1)], nothing_on_file))
    assert [f.message for f in screened.findings] == [
        "Cannot screen: no date of birth recorded: the age limits are not checked.",
        "Cannot screen: the patient has not answered the allergy question.",
    ]
    assert screened.level == "cannot_screen" and screened.colour == "amber"

    complete = make_user("complete@example.com", **health_on_file())
    screened = services.screening(place([(rx_pack, 1)], complete))
    assert screened.findings == [] and screened.level == "clear" and screened.colour == "green"


def test_a_guests_health_details_are_kept_on_the_order(otc_pack):
    order = place(
        [(otc_pack, 1)],
        email="guest@example.com",
        health={
            "date_of_birth": date(1990, 5, 1),
            "allergy_answer": "listed",
            "allergies": "latex",
            "current_medicines": "ibuprofen",
        },
    )
    details = health_details(order)
    assert (details.date_of_birth, details.allergies, details.current_medicines) == (
        date(1990, 5, 1),
        ["latex"],
        ["ibuprofen"],
    )
    assert details.complete and not details.on_account


def test_screening_takes_the_same_queries_whatever_the_number_of_lines_and_orders(packs, patient):
    def queries(order):
        order.refresh_from_db()
        with CaptureQueriesContext(connection) as captured:
            services.screening(order)
        return len(captured)

    patient.current_medicines = "tizanidine, aspirin"
    patient.save()
    small = place([(packs["baclofen"], 1)], patient)
    few = queries(small)
    for pack in packs.values():
        dispensed_days_ago(place([(pack, 1)], patient), 10)
        place([(pack, 1)], patient)
    large = place([(pack, 1) for pack in packs.values()], patient)
    assert queries(large) == few


# --- The gate: no approval without the date of birth and the allergy answer


def test_an_order_whose_patient_has_no_date_of_birth_or_allergy_answer_cannot_be_approved(rx_pack, pharmacist):
    patient = make_user("new@example.com")
    order = send_to_review(place([(rx_pack, 1)], patient))
    with pytest.raises(ValidationError) as refused:
        approve_all(order, pharmacist)
    message = " ".join(refused.value.messages)
    assert "The patient's date of birth is not recorded" in message
    assert "The patient has not answered the allergy question" in message
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW

    patient.date_of_birth = date(1980, 2, 29)
    patient.save()
    with pytest.raises(ValidationError, match="has not answered the allergy question") as refused:
        require_health_details(order)
    assert "date of birth" not in " ".join(refused.value.messages)

    patient.allergy_answer = "none"
    patient.save()
    approve_all(order, pharmacist)
    assert order.status == OrderStatus.APPROVED


def test_the_review_screen_says_why_it_cannot_be_approved(rx_pack, pharmacist_client):
    patient = make_user("new@example.com", first_name="Nova", last_name="Newman")
    order = send_to_review(place([(rx_pack, 1)], patient))
    html = pharmacist_client.get(url("review", order)).content.decode()
    assert "This order cannot be approved yet:" in html
    assert "The patient&#x27;s date of birth is not recorded" in html
    assert "Not answered" in html and "None recorded" not in html
    assert 'data-level="cannot_screen"' in html and "Cannot screen fully" in html

    response = pharmacist_client.post(url("review", order), approve_data(rx_line_ids(order)), follow=True)
    assert "has not answered the allergy question" in messages_of(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW


def test_the_review_screen_shows_the_health_details_and_a_green_screening(rx_pack, patient, pharmacist_client):
    order = send_to_review(place([(rx_pack, 1)], patient))
    html = pharmacist_client.get(url("review", order)).content.decode()
    assert "29 Feb 1980 (age " in html and "No known allergies" in html and "None declared" in html
    assert 'data-level="clear"' in html and "rx-screen--green" in html
    assert "cannot be approved yet" not in html

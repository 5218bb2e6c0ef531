from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from medicines.models import (
    ControlledSchedule,
    FrequencyBand,
    LegalStatus,
    MedicinePage,
    SideEffect,
)
from tests.factories import make_medicine, make_reference

# A new page looks up its default locale in the database.
pytestmark = pytest.mark.django_db


def test_side_effect_percent_range_is_written_as_the_source_gives_it():
    assert SideEffect(percent_low=Decimal("10"), percent_high=Decimal("63")).percent_range == "10–63%"
    assert SideEffect(percent_low=Decimal("8.3"), percent_high=Decimal("8.3")).percent_range == "8.3%"
    assert SideEffect(percent_high=Decimal("49")).percent_range == "49%"
    assert SideEffect().percent_range == ""


def test_side_effect_range_must_not_be_upside_down():
    row = SideEffect(
        effect="Dizziness", frequency=FrequencyBand.COMMON, percent_low=Decimal("15"), percent_high=Decimal("5")
    )
    with pytest.raises(ValidationError) as error:
        row.clean()
    assert "percent_high" in error.value.message_dict


@pytest.mark.parametrize(
    "status, schedule, field",
    [
        (LegalStatus.CONTROLLED, "", "controlled_schedule"),
        (LegalStatus.PRESCRIPTION, ControlledSchedule.SCHEDULE_IV, "controlled_schedule"),
    ],
)
def test_controlled_status_and_schedule_go_together(status, schedule, field):
    page = MedicinePage(title="X", legal_status=status, controlled_schedule=schedule)
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert field in error.value.message_dict


def test_next_review_must_follow_the_last():
    page = MedicinePage(title="X", last_reviewed=date(2026, 5, 1), next_review_due=date(2026, 4, 1))
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "next_review_due" in error.value.message_dict


def test_prescription_status():
    assert MedicinePage(legal_status=LegalStatus.PRESCRIPTION).requires_prescription
    assert MedicinePage(legal_status=LegalStatus.CONTROLLED).requires_prescription
    assert not MedicinePage(legal_status=LegalStatus.PHARMACY).requires_prescription
    assert not MedicinePage(legal_status=LegalStatus.GENERAL_SALE).requires_prescription
    page = MedicinePage(legal_status=LegalStatus.CONTROLLED, controlled_schedule=ControlledSchedule.SCHEDULE_IV)
    assert page.legal_status_label == "Controlled, Schedule IV (prescription only)"


def test_brand_and_ingredient_lists():
    page = MedicinePage(brand_names="Lioresal (UK), Ozobax, ", active_ingredients="baclofen")
    assert page.brand_name_list == ["Lioresal (UK)", "Ozobax"]
    assert page.ingredient_list == ["baclofen"]


def test_references_are_numbered_in_order_and_rows_carry_their_number(site_pages, drug_class):
    first, second = make_reference(title="First"), make_reference(title="Second")
    page = make_medicine(
        site_pages["medicines"],
        drug_class,
        references=[first, second],
        side_effects=[("Drowsiness", FrequencyBand.VERY_COMMON, 10, 63)],
    )
    page = MedicinePage.objects.get(pk=page.pk)
    assert [(row.number, row.reference.title) for row in page.numbered_references] == [(1, "First"), (2, "Second")]
    rows = page.cited_rows("side_effects")
    assert rows[0].ref_number == 1


def test_querysets(site_pages, drug_class):
    rx = make_medicine(site_pages["medicines"], drug_class, title="Rx medicine")
    make_medicine(site_pages["medicines"], drug_class, title="Shop medicine", legal_status=LegalStatus.GENERAL_SALE)
    assert list(MedicinePage.objects.live().prescription_only()) == [rx]
    assert MedicinePage.objects.in_class(drug_class).count() == 2


def test_review_workflow_runs_the_evidence_check_then_needs_a_pharmacist(site_pages):
    from wagtail.models import GroupApprovalTask

    from evidence.models import EvidenceCheckTask

    workflow = site_pages["medicines"].get_workflow()
    assert workflow is not None and workflow.name == "Guide review"
    evidence_check, approval = workflow.tasks.specific()
    assert isinstance(evidence_check, EvidenceCheckTask) and evidence_check.name == "Evidence check"
    assert isinstance(approval, GroupApprovalTask)
    assert [group.name for group in approval.groups.all()] == ["Pharmacists"]

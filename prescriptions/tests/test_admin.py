"""The decision log in the Wagtail admin: readable by pharmacists, never added to, edited or deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.permissions import policy_registry

from prescriptions import services
from prescriptions.models import ImmutableRecordError, PrescriptionDecision
from tests.factories import make_prescription_upload, make_product, make_user

pytestmark = pytest.mark.django_db

LOG = reverse("prescription_decisions:index")


@pytest.fixture
def decisions(pharmacist, medicine):
    patient = make_user("robin@example.com", first_name="Robin", last_name="Patel")
    product = make_product(medicine)
    approved, _items = services.record_decision(
        services.submit_prescription(patient, upload=make_prescription_upload()),
        pharmacist,
        approved_items=[(product, 60, timezone.localdate() + timedelta(days=90))],
        reason="Checked with the GP.",
        override_reason="Interaction discussed with the prescriber.",
        details={"order": "AP-APPROVED", "approved_lines": ["Baclofen 10 mg"], "partial": False},
        checks=services.CHECK_NAMES,
        prescriber_name="Dr Ada Example",
        prescriber_registration="GMC 1234567",
    )
    rejected, _items = services.record_decision(
        services.submit_prescription(patient, prescriber_name="Dr Ada Lovelace"),
        pharmacist,
        approved_items=[],
        reason="The prescriber could not be reached.",
        details={"order": "AP-REJECTED"},
    )
    return approved, rejected


def test_pharmacists_read_the_decision_log(pharmacist_client, decisions):
    approved, rejected = decisions
    response = pharmacist_client.get(LOG)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Sam Rivera",
        "Approved",
        "Rejected",
        "Robin Patel",
        "AP-APPROVED",
        "AP-REJECTED",
        "Checked with the GP.",
        "Interaction discussed with the prescriber.",
        "The prescriber could not be reached.",
    ):
        assert text in html, text
    assert html.index("AP-REJECTED") < html.index("AP-APPROVED")  # newest first

    only_rejected = pharmacist_client.get(LOG, {"decision": "rejected"}).content.decode()
    assert "AP-REJECTED" in only_rejected and "AP-APPROVED" not in only_rejected
    found = pharmacist_client.get(LOG, {"q": "AP-APPROVED"}).content.decode()
    assert "Checked with the GP." in found and "could not be reached" not in found

    detail = pharmacist_client.get(reverse("prescription_decisions:inspect", args=[approved.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Baclofen 10 mg" in page and "AP-APPROVED" in page and "Interaction discussed" in page
    assert "/edit/" not in page and "/delete/" not in page
    assert "Decision log" in pharmacist_client.get("/admin/").content.decode()


@pytest.mark.parametrize("who", ["pharmacist", "superuser"])
def test_no_one_can_add_edit_or_delete_a_decision(who, pharmacist, decisions):
    from accounts.models import User

    user = pharmacist if who == "pharmacist" else User.objects.create_superuser("root@example.com", "pw")
    client = Client()
    client.force_login(user)
    decision = decisions[0]
    base = LOG
    for path in (
        f"{base}new/",
        f"{base}edit/{decision.pk}/",
        f"{base}delete/{decision.pk}/",
        f"{base}{decision.pk}/edit/",
        f"{base}{decision.pk}/delete/",
        f"{base}copy/{decision.pk}/",
        f"{base}history/{decision.pk}/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"reason": "changed"}).status_code == 404, path
    policy = policy_registry.get_by_type(PrescriptionDecision)
    assert policy.user_has_permission(user, "view")
    assert not any(policy.user_has_permission(user, action) for action in ("add", "change", "delete"))
    decision.refresh_from_db()
    assert decision.reason == "Checked with the GP."


def test_a_saved_decision_cannot_be_changed_or_deleted(decisions):
    decision = PrescriptionDecision.objects.get(pk=decisions[0].pk)
    decision.reason = "Rewritten history"
    with pytest.raises(ImmutableRecordError):
        decision.save()
    with pytest.raises(ImmutableRecordError):
        decision.delete()
    assert PrescriptionDecision.objects.get(pk=decision.pk).reason == "Checked with the GP."


def test_staff_without_the_view_permission_do_not_see_the_log(site_pages, decisions):
    dispatcher = make_user("dispatch@example.com", groups=["Dispatch"], is_staff=True)
    client = Client()
    client.force_login(dispatcher)
    response = client.get(LOG)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "Decision log" not in client.get("/admin/").content.decode()

"""The review stamp is earned: "Medically reviewed by X on D" is written when a pharmacist approves the guide in the
Guide review workflow, that pharmacist and that day. Nobody types it; a publish without that approval keeps the
stamp the guide had, or shows "Not yet reviewed by a pharmacist".

Everything goes through the admin's own views: the edit form, the workflow's approve URL, the Publish button.
"""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState
from wagtail.test.utils.form_data import querydict_from_html

from evidence.models import EvidenceCheckTask
from medicines.models import GuideApproval, MedicinePage
from tests.factories import make_medicine

pytestmark = pytest.mark.django_db

OLD_STAMP = {"last_reviewed": date(2025, 3, 1), "next_review_due": date(2026, 3, 1)}


@pytest.fixture
def guide(site_pages, drug_class):
    """A live guide approved long ago by the builders' pharmacist (Alex Reed)."""
    page = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine", **OLD_STAMP)
    return MedicinePage.objects.get(pk=page.pk)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_edit_form(client, page, action: str, **changes):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    data[action] = action
    return client.post(url, data, follow=True)


def test_a_pharmacists_approval_in_the_workflow_writes_that_pharmacist_and_that_day(guide, editor, pharmacist):
    post_edit_form(logged_in(editor), guide, "action-submit", summary="Tizanidine relaxes tight muscles.")
    review = next(
        state
        for state in TaskState.objects.for_instance(guide)
        if not isinstance(state.task.specific, EvidenceCheckTask)
    )
    approve = reverse("wagtailadmin_pages:workflow_action", args=[guide.pk, "approve", review.pk])
    assert logged_in(pharmacist).post(approve, {"comment": ""}).status_code == 302

    guide.refresh_from_db()
    today = timezone.localdate()
    assert guide.summary == "Tizanidine relaxes tight muscles."
    assert (guide.reviewed_by, guide.last_reviewed) == (pharmacist, today)
    assert guide.next_review_due == today + timedelta(days=365)
    approval = GuideApproval.objects.get(revision=guide.live_revision)
    assert approval.pharmacist == pharmacist
    html = Client().get(guide.url).content.decode()
    assert f'Medically reviewed by <strong>Sam Rivera</strong> on <time datetime="{today:%Y-%m-%d}">' in html


def test_a_publish_without_a_pharmacists_approval_keeps_the_old_stamp(guide, superuser):
    response = post_edit_form(logged_in(superuser), guide, "action-publish", summary="Edited by the admin.")
    assert response.status_code == 200
    guide.refresh_from_db()
    assert guide.summary == "Edited by the admin."  # published
    assert guide.reviewed_by.email == "approvals@example.com"  # the pharmacist who approved it, not the admin
    assert guide.last_reviewed == OLD_STAMP["last_reviewed"]
    html = Client().get(guide.url).content.decode()
    assert 'Medically reviewed by <strong>Alex Reed</strong> on <time datetime="2025-03-01">' in html
    assert "Bo Ss" not in html


def test_nobody_can_type_the_stamp(guide, superuser, pharmacist):
    """The fields are not in the form: posting them changes nothing, even naming a real pharmacist."""
    post_edit_form(
        logged_in(superuser),
        guide,
        "action-publish",
        reviewed_by=str(pharmacist.pk),
        last_reviewed="2026-12-01",
        next_review_due="2030-01-01",
    )
    guide.refresh_from_db()
    assert guide.reviewed_by.email == "approvals@example.com"
    assert (guide.last_reviewed, guide.next_review_due) == (OLD_STAMP["last_reviewed"], OLD_STAMP["next_review_due"])
    # Nor does a revision carry it: one written with a stamp in its content publishes without it.
    draft = guide.get_latest_revision_as_object()
    draft.reviewed_by, draft.last_reviewed, draft.next_review_due = pharmacist, date(2026, 12, 2), date(2027, 12, 2)
    draft.save_revision(user=superuser).publish(user=superuser)
    guide.refresh_from_db()
    assert guide.reviewed_by.email == "approvals@example.com" and guide.last_reviewed == OLD_STAMP["last_reviewed"]


def test_a_guide_no_pharmacist_approved_says_so(guide, superuser):
    """A guide live from before approvals were recorded, with no stamp: an admin's publish leaves it unstamped."""
    GuideApproval.objects.filter(page=guide).delete()
    MedicinePage.objects.filter(pk=guide.pk).update(reviewed_by=None, last_reviewed=None, next_review_due=None)
    post_edit_form(logged_in(superuser), guide, "action-publish", summary="Still unreviewed.")
    guide.refresh_from_db()
    assert guide.summary == "Still unreviewed." and guide.reviewed_by is None and guide.last_reviewed is None
    html = Client().get(guide.url).content.decode()
    assert "Not yet reviewed by a pharmacist" in html and "Medically reviewed by" not in html


def test_the_edit_screen_shows_the_stamp_as_the_pharmacists_not_as_a_field(guide, editor):
    html = logged_in(editor).get(reverse("wagtailadmin_pages:edit", args=[guide.pk])).content.decode()
    assert "Medical review (written by a pharmacist" in html
    assert 'name="reviewed_by"' not in html and 'name="last_reviewed"' not in html

"""The publish gate: the "Evidence check" step runs the content audit on the submitted revision, by itself.

Acceptance 3 of issue 4: a guide with an uncited figure cannot be published through the workflow; once the
figure is cited, it passes the check and a pharmacist's approval publishes it.
"""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from evidence.audit.rules.citations import CITE_IT
from evidence.models import CHECK_FAILED, EvidenceCheckTask
from medicines.models import Indication, MedicinePage
from tests.factories import make_medicine, make_reference, make_user

pytestmark = pytest.mark.django_db

UNCITED = "<p>About 20% of people feel sleepy in the first weeks.</p>"
CITED = "<p>About 20% of people feel sleepy in the first weeks [1].</p>"


@pytest.fixture
def uncited_draft(site_pages, drug_class):
    """A guide never published, whose "How it works" gives a percentage with no citation."""
    page = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine", how_it_works=UNCITED)
    page.unpublish()
    return MedicinePage.objects.get(pk=page.pk)


def task_states(page, task_class):
    return [
        state
        for state in TaskState.objects.for_instance(page).order_by("started_at", "pk")
        if isinstance(state.task.specific, task_class)
    ]


def pharmacist_task_states(page):
    return [
        state
        for state in TaskState.objects.for_instance(page)
        if not isinstance(state.task.specific, EvidenceCheckTask)
    ]


def shown_messages(response) -> list[tuple[str, str]]:
    """The messages the response shows, as (level, text)."""
    return [
        (message.level_tag, " ".join(strip_tags(str(message.message)).split()))
        for message in response.context["messages"]
    ]


def submit_through_the_edit_form(client, page, **changes):
    """POST the page's own edit form, as the editor's browser would, with "Submit for moderation"."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    data["action-submit"] = "Submit to Guide review"
    return client.post(url, data, follow=True)


def test_an_uncited_figure_is_sent_back_and_a_cited_one_goes_to_the_pharmacist_who_publishes(
    client, editor, pharmacist, uncited_draft
):
    """Acceptance 3 through the admin's own views: the editor's edit form, then the pharmacist's approve URL."""
    client.force_login(editor)
    response = submit_through_the_edit_form(client, uncited_draft)

    # The evidence check ran by itself and sent the guide back, saying where and why, in one message, and the
    # editor is on the edit screen to fix it.
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[uncited_draft.pk])
    assert shown_messages(response) == [
        (
            "error",
            "“Tizanidine” is back with you: the evidence check found 1 error (and 1 warning; warnings never block); "
            f"fix and submit again. How it works: “20% of people feel sleepy” has no citation: {CITE_IT}.",
        )
    ]
    state = WorkflowState.objects.for_instance(uncited_draft).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    (rejection,) = task_states(uncited_draft, EvidenceCheckTask)
    assert rejection.status == TaskState.STATUS_REJECTED
    assert rejection.comment.splitlines() == [
        "The evidence check found 1 error (and 1 warning; warnings never block); fix and submit again.",
        f"1. How it works: “20% of people feel sleepy” has no citation: {CITE_IT}.",
    ]
    assert not MedicinePage.objects.get(pk=uncited_draft.pk).live
    assert pharmacist_task_states(uncited_draft) == []  # the pharmacist never got it
    assert not TaskState.objects.reviewable_by(pharmacist).exists()

    # The workflow's status shows the rejection and its comment.
    status = client.get(reverse("wagtailadmin_pages:edit", args=[uncited_draft.pk])).content.decode()
    assert "Evidence check" in status and "has no citation" in status

    # The editor cites the figure and submits again: the check passes, the pharmacist has it.
    submit_through_the_edit_form(client, uncited_draft, how_it_works=rich_text(CITED))
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    rejection, approval = task_states(uncited_draft, EvidenceCheckTask)
    assert approval.status == TaskState.STATUS_APPROVED
    (review,) = pharmacist_task_states(uncited_draft)
    assert review.status == TaskState.STATUS_IN_PROGRESS
    assert review.revision == MedicinePage.objects.get(pk=uncited_draft.pk).get_latest_revision()
    assert not MedicinePage.objects.get(pk=uncited_draft.pk).live

    # The editor cannot approve; the pharmacist's approval publishes the cited version.
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=[uncited_draft.pk, "approve", review.pk])
    refused = client.post(approve_url, {"comment": ""})
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")  # permission denied
    review.refresh_from_db()
    assert review.status == TaskState.STATUS_IN_PROGRESS and not MedicinePage.objects.get(pk=uncited_draft.pk).live
    client.force_login(pharmacist)
    assert client.post(approve_url, {"comment": ""}).status_code == 302
    published = MedicinePage.objects.get(pk=uncited_draft.pk)
    assert published.live
    assert "[1]" in str(published.how_it_works)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_a_new_guide_submitted_from_the_create_form_is_checked_too(client, editor, site_pages, drug_class):
    from medicines.tests.test_admin import guide_form_data

    source = make_reference()
    data = guide_form_data(drug_class, source, source)
    data["how_it_works"] = rich_text(UNCITED)
    data["action-submit"] = "Submit to Guide review"
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["medicines", "medicinepage", site_pages["medicines"].pk])
    response = client.post(url, data, follow=True)

    (message,) = shown_messages(response)
    assert message[0] == "error" and message[1].startswith("“Tizanidine” is back with you: the evidence check found")
    guide = MedicinePage.objects.get(slug="tizanidine")
    assert not guide.live
    assert WorkflowState.objects.for_instance(guide).get().status == WorkflowState.STATUS_NEEDS_CHANGES
    assert pharmacist_task_states(guide) == []


def test_a_figure_in_a_use_with_no_source_is_stopped_until_the_row_cites_one(editor, pharmacist, uncited_draft):
    """The same gate through the workflow API, for a structured row, on a draft revision of a guide."""
    guide = uncited_draft.get_latest_revision_as_object()
    guide.how_it_works = CITED
    guide.indications.add(Indication(condition="Spasticity", detail="Helps 7 in 10 patients.", reference=None))
    guide.save_revision(user=editor)
    state = uncited_draft.get_workflow().start(uncited_draft, editor)

    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    (rejection,) = task_states(uncited_draft, EvidenceCheckTask)
    assert rejection.finished_by is None  # nobody clicked: the check did it
    assert "Uses, row 1 (Spasticity): “7 in 10 patients” has no citation" in rejection.comment
    assert pharmacist_task_states(uncited_draft) == []
    assert EvidenceCheckTask.rejection_for(uncited_draft) == rejection

    guide = MedicinePage.objects.get(pk=uncited_draft.pk).get_latest_revision_as_object()
    row = guide.indications.all()[0]
    row.reference = guide.guide_references.all()[0].reference
    guide.save_revision(user=editor)
    state = WorkflowState.objects.get(pk=state.pk)  # as the edit view finds it: with the page as it is now
    state.resume(editor)

    state.refresh_from_db()
    assert task_states(uncited_draft, EvidenceCheckTask)[-1].status == TaskState.STATUS_APPROVED
    assert EvidenceCheckTask.rejection_for(uncited_draft) is None
    review = state.current_task_state
    assert review.task.specific.get_actions(uncited_draft, editor) == []
    review.task.specific.on_action(review, pharmacist, "approve")
    published = MedicinePage.objects.get(pk=uncited_draft.pk)
    assert published.live and published.indications.get().reference is not None


def test_warnings_do_not_block_and_are_noted(editor, site_pages, drug_class):
    page = make_medicine(site_pages["medicines"], drug_class, title="Dantrolene")  # its reference is not checked
    page.save_revision(user=editor)
    state = page.get_workflow().start(page, editor)
    (check,) = task_states(page, EvidenceCheckTask)
    assert check.status == TaskState.STATUS_APPROVED
    assert check.comment == "No errors found; 1 warning to look at."
    assert state.current_task_state.task.name == "Pharmacist approval"


def test_the_check_reads_the_submitted_revision_not_the_live_page(editor, site_pages, drug_class):
    page = make_medicine(site_pages["medicines"], drug_class, title="Dantrolene")
    revision = page.get_latest_revision_as_object()
    revision.how_it_works = UNCITED
    revision.save_revision(user=editor)
    state = page.get_workflow().start(page, editor)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "20% of people" not in str(MedicinePage.objects.get(pk=page.pk).how_it_works)  # live copy unchanged


def test_no_one_can_act_on_the_check_by_hand(editor, pharmacist, uncited_draft):
    task = EvidenceCheckTask.objects.get()
    assert task.get_actions(uncited_draft, pharmacist) == []
    assert task.get_actions(uncited_draft, make_user("root@example.com", is_superuser=True, is_staff=True)) == []
    assert not task.locked_for_user(uncited_draft, editor)


def test_an_audit_that_crashes_stops_the_page_with_a_message(monkeypatch, editor, site_pages, drug_class):
    def crash(revision):
        raise RuntimeError("boom")

    monkeypatch.setattr("evidence.models.audit_revision", crash)
    page = make_medicine(site_pages["medicines"], drug_class, title="Dantrolene")
    page.save_revision(user=editor)
    state = page.get_workflow().start(page, editor)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert task_states(page, EvidenceCheckTask)[0].comment == CHECK_FAILED


def test_changes_after_the_pharmacist_asks_for_them_are_checked_again(
    settings, editor, pharmacist, site_pages, drug_class
):
    """With re-approval on edit, a version changed after the check passed is checked again before it goes live."""
    settings.WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
    page = make_medicine(site_pages["medicines"], drug_class, title="Dantrolene")
    page.save_revision(user=editor)
    state = page.get_workflow().start(page, editor)
    review = state.current_task_state
    review.task.specific.on_action(review, pharmacist, "reject", comment="Say how common sleepiness is.")

    revision = MedicinePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    revision.how_it_works = UNCITED
    revision.save_revision(user=editor)
    state = WorkflowState.objects.get(pk=state.pk)
    state.resume(editor)
    state.refresh_from_db()
    review = state.current_task_state
    review.task.specific.on_action(review, pharmacist, "approve")

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert isinstance(state.current_task_state.task.specific, EvidenceCheckTask)
    assert "20% of people" not in str(MedicinePage.objects.get(pk=page.pk).how_it_works)


def publish_through_the_edit_form(client, page, **changes):
    """POST the page's edit form with "Publish", as a pharmacist (who may publish) would."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    data["action-publish"] = "Publish"
    return client.post(url, data, follow=True)


def test_a_pharmacist_cannot_publish_past_the_audit_and_can_once_it_is_fixed(
    client, pharmacist, site_pages, drug_class
):
    """The gate holds outside the workflow: on a live guide whose text gained an uncited figure, "Publish" saves a
    draft but refuses to publish while the audit has errors; once the figure is cited, the same button publishes.
    (A guide that is not live goes live only through the workflow: see tests/prescription_lock/.)"""
    guide = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
    client.force_login(pharmacist)
    response = publish_through_the_edit_form(client, guide, how_it_works=rich_text(UNCITED))

    assert "was saved as a draft but not published: the content audit found 1 error" in response.content.decode()
    guide.refresh_from_db()
    assert guide.live and guide.has_unpublished_changes and "20%" not in guide.how_it_works

    publish_through_the_edit_form(client, guide, how_it_works=rich_text(CITED))
    guide.refresh_from_db()
    assert guide.live and "[1]" in guide.how_it_works


def test_bulk_publish_refuses_pages_with_audit_errors(client, pharmacist, uncited_draft, site_pages):
    client.force_login(pharmacist)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = client.post(f"{url}?id={uncited_draft.pk}&next=/admin/", follow=True)

    assert "Nothing was published: the content audit found errors in “Tizanidine”" in response.content.decode()
    uncited_draft.refresh_from_db()
    assert not uncited_draft.live

"""A guide goes live only after a pharmacist approves it in the "Guide review" workflow."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from medicines.models import MedicinePage
from tests.factories import make_medicine


@pytest.fixture
def people(site_pages):
    editor = User.objects.create_user("editor@example.com", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    pharmacist = User.objects.create_user("ph@example.com", "pw", is_staff=True, first_name="Sam")
    pharmacist.groups.add(Group.objects.get(name="Pharmacists"))
    return editor, pharmacist


@pytest.fixture
def draft(site_pages, drug_class):
    page = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
    page.unpublish()
    return MedicinePage.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_an_editor_cannot_publish_a_guide_but_a_pharmacist_can(people, draft):
    editor, pharmacist = people
    assert not draft.permissions_for_user(editor).can_publish()
    assert draft.permissions_for_user(editor).can_edit()
    assert draft.permissions_for_user(pharmacist).can_publish()


@pytest.mark.django_db
def test_submitted_guide_waits_for_a_pharmacist_then_goes_live(people, draft):
    editor, pharmacist = people
    draft.save_revision(user=editor)
    workflow = draft.get_workflow()
    state = workflow.start(draft, editor)
    task_state = state.current_task_state
    task = task_state.task.specific

    assert task.get_actions(draft, editor) == []  # an editor cannot approve their own guide
    assert {action[0] for action in task.get_actions(draft, pharmacist)} >= {"approve", "reject"}
    assert not MedicinePage.objects.get(pk=draft.pk).live

    task.on_action(task_state, pharmacist, "approve")
    draft.refresh_from_db()
    assert draft.live
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED


@pytest.mark.django_db
def test_pharmacist_can_reject_and_the_guide_stays_a_draft(people, draft):
    editor, pharmacist = people
    draft.save_revision(user=editor)
    state = draft.get_workflow().start(draft, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, pharmacist, "reject")
    draft.refresh_from_db()
    assert not draft.live
    state.refresh_from_db()
    assert state.status == state.STATUS_NEEDS_CHANGES


@pytest.mark.django_db
def test_scheduled_publishing_keeps_the_guide_offline_until_its_time(people, draft):
    import time
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    draft.go_live_at = timezone.now() + timedelta(seconds=2)
    draft.save_revision(user=people[1]).publish()
    call_command("publish_scheduled")
    draft.refresh_from_db()
    assert not draft.live  # scheduled, not yet due
    time.sleep(2.1)
    call_command("publish_scheduled")
    draft.refresh_from_db()
    assert draft.live

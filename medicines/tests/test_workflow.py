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
    from datetime import timedelta

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    from medicines.services import approve_revision

    draft.go_live_at = timezone.now() + timedelta(seconds=2)
    revision = draft.save_revision(user=people[1])
    approve_revision(revision, people[1])  # an unpublished guide goes live only as a pharmacist approved it
    revision.publish()
    call_command("publish_scheduled")
    draft.refresh_from_db()
    assert not draft.live  # scheduled, not yet due
    with time_machine.travel(timezone.now() + timedelta(seconds=3)):
        call_command("publish_scheduled")
    draft.refresh_from_db()
    assert draft.live


def review_steps(workflow) -> list[tuple[str, str]]:
    return [(task.name, type(task).__name__) for task in workflow.tasks.specific()]


@pytest.mark.django_db
def test_installing_the_review_workflow_twice_changes_nothing(site_pages):
    from wagtail.models import Task, Workflow

    from medicines.services import install_guide_review_workflow

    before = (Task.objects.count(), Workflow.objects.count())
    workflow = install_guide_review_workflow(site_pages["medicines"])
    assert (Task.objects.count(), Workflow.objects.count()) == before
    assert review_steps(workflow) == [
        ("Evidence check", "EvidenceCheckTask"),
        ("Pharmacist approval", "GroupApprovalTask"),
    ]
    assert site_pages["medicines"].get_workflow() == workflow


@pytest.mark.django_db
def test_an_older_installation_gains_the_evidence_check_before_the_pharmacist(site_pages):
    """A site installed before the evidence check existed: one task, the pharmacist's, at sort order 0; plus a
    step its editors added by hand, which stays, after ours."""
    from wagtail.models import GroupApprovalTask, WorkflowTask

    from evidence.models import EvidenceCheckTask
    from medicines.services import install_guide_review_workflow

    workflow = site_pages["medicines"].get_workflow()
    WorkflowTask.objects.filter(workflow=workflow).delete()
    EvidenceCheckTask.objects.all().delete()
    pharmacist = GroupApprovalTask.objects.get(name="Pharmacist approval")
    legal = GroupApprovalTask.objects.create(name="Legal sign-off")
    WorkflowTask.objects.create(workflow=workflow, task=legal, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task=pharmacist, sort_order=1)

    install_guide_review_workflow(site_pages["medicines"])

    assert review_steps(workflow) == [
        ("Evidence check", "EvidenceCheckTask"),
        ("Pharmacist approval", "GroupApprovalTask"),
        ("Legal sign-off", "GroupApprovalTask"),
    ]
    assert EvidenceCheckTask.objects.count() == 1


@pytest.mark.django_db
def test_articles_get_their_own_review_with_the_same_two_steps(site_pages):
    from medicines.services import install_article_review_workflow

    workflow = install_article_review_workflow(site_pages["articles"])
    assert workflow.name == "Article review"
    assert site_pages["articles"].get_workflow() == workflow
    assert site_pages["medicines"].get_workflow().name == "Guide review"
    guide_tasks = list(site_pages["medicines"].get_workflow().tasks)
    assert list(workflow.tasks) == guide_tasks  # the same tasks, shared: one pharmacists' queue
    assert install_article_review_workflow(site_pages["articles"]) == workflow
    assert list(workflow.tasks) == guide_tasks

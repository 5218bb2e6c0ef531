"""Editorial rules for medicine guides: who must approve a guide before it goes live, and what is checked first."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Task, Workflow, WorkflowPage, WorkflowTask

from evidence.models import EvidenceCheckTask

PHARMACISTS = "Pharmacists"
EDITORS = "Editors"
GUIDE_REVIEW_WORKFLOW = "Guide review"
ARTICLE_REVIEW_WORKFLOW = "Article review"
EVIDENCE_CHECK_TASK = "Evidence check"
PHARMACIST_APPROVAL_TASK = "Pharmacist approval"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    PHARMACISTS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
SNIPPET_PERMISSIONS = {
    EDITORS: ["add_reference", "change_reference", "add_product", "change_product"],
    PHARMACISTS: ["add_reference", "change_reference", "add_product", "change_product", "delete_product"],
}


@transaction.atomic
def install_editorial_groups(root: Page) -> dict[str, Group]:
    """Editors and Pharmacists, with admin access and page rights under ``root``. Idempotent."""
    groups = {}
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(admin_access)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=["evidence", "catalogue"], codename__in=SNIPPET_PERMISSIONS[name]
            )
        )
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        groups[name] = group
    return groups


def review_tasks() -> list[Task]:
    """The review steps every guide (and article) goes through, in order: the automatic evidence check, then a
    pharmacist's approval. Created once and found after (by name)."""
    pharmacists, _ = Group.objects.get_or_create(name=PHARMACISTS)
    evidence_check = EvidenceCheckTask.objects.filter(name=EVIDENCE_CHECK_TASK).first()
    if evidence_check is None:
        evidence_check = EvidenceCheckTask.objects.create(name=EVIDENCE_CHECK_TASK)
    pharmacist_approval = GroupApprovalTask.objects.filter(name=PHARMACIST_APPROVAL_TASK).first()
    if pharmacist_approval is None:
        pharmacist_approval = GroupApprovalTask.objects.create(name=PHARMACIST_APPROVAL_TASK)
    pharmacist_approval.groups.set([pharmacists])
    return [evidence_check, pharmacist_approval]


def install_review_workflow(name: str, section: Page) -> Workflow:
    """The workflow ``name`` with the review tasks first, in order, assigned to ``section`` (and so to every page
    beneath it). Idempotent; an older installation (pharmacist only) gains the evidence check before it, and any
    task a site added by hand stays, after ours."""
    ours = review_tasks()
    our_ids = {task.pk for task in ours}
    workflow, _ = Workflow.objects.get_or_create(name=name)
    others = [
        link.task
        for link in workflow.workflow_tasks.select_related("task").order_by("sort_order")
        if link.task_id not in our_ids
    ]
    for order, task in enumerate(ours + others):
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def install_guide_review_workflow(medicine_index: Page) -> Workflow:
    """The moderation workflow for guides: the evidence check, then a pharmacist must approve before publishing.

    Assigned to the medicine index, so it covers every guide beneath it. Idempotent.
    """
    return install_review_workflow(GUIDE_REVIEW_WORKFLOW, medicine_index)


@transaction.atomic
def install_article_review_workflow(article_index: Page) -> Workflow:
    """The same two steps for articles ("Article review"), assigned to the article index: articles cite figures
    too, and pharmacists are the ones who publish them."""
    return install_review_workflow(ARTICLE_REVIEW_WORKFLOW, article_index)

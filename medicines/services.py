"""Editorial rules for medicine guides: who must approve a guide before it goes live."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

PHARMACISTS = "Pharmacists"
EDITORS = "Editors"
GUIDE_REVIEW_WORKFLOW = "Guide review"
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


@transaction.atomic
def install_guide_review_workflow(medicine_index: Page) -> Workflow:
    """The moderation workflow for guides: a pharmacist must approve before publishing.

    Assigned to the medicine index, so it covers every guide beneath it. Idempotent.
    """
    pharmacists, _ = Group.objects.get_or_create(name=PHARMACISTS)
    task = GroupApprovalTask.objects.filter(name=PHARMACIST_APPROVAL_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=PHARMACIST_APPROVAL_TASK)
    task.groups.set([pharmacists])
    workflow, _ = Workflow.objects.get_or_create(name=GUIDE_REVIEW_WORKFLOW)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=medicine_index, defaults={"workflow": workflow})
    return workflow

"""Editorial rules for medicine guides: who must approve a guide before it goes live, and what is checked first.

- A guide's prescription status (legal status, schedule, active ingredients) goes live only as a pharmacist
  approved it: ``check_live_status`` is called by every save of a live guide (``MedicinePage.save``).
- The review stamp ("Medically reviewed by X on D") is written by a pharmacist's approval in the Guide review
  workflow (``finish_review`` → ``approve_revision``), never typed.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Revision,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from apothecary.core.roles import PHARMACISTS, is_pharmacist
from evidence.models import EvidenceCheckTask
from medicines.ingredients import ingredient_set
from medicines.models import ControlledSchedule, GuideApproval, LegalStatus, MedicinePage

GUIDE_REVIEW_WORKFLOW = "Guide review"
ARTICLE_REVIEW_WORKFLOW = "Article review"
EVIDENCE_CHECK_TASK = "Evidence check"
PHARMACIST_APPROVAL_TASK = "Pharmacist approval"


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


# ---------------------------------------------------------------------------
# A pharmacist's approval, and what it allows


class PrescriptionStatusLocked(PublishPagePermissionError):
    """A publish that would change whether a guide's products need a prescription without a pharmacist's
    approval of that revision. The message names the rule and the change."""


def describe_identity(identity: tuple[str, str, frozenset[str]]) -> str:
    """ "Prescription only; active ingredients: tizanidine"."""
    status, schedule, ingredients = identity
    words = LegalStatus(status).label
    if schedule:
        words += f", {ControlledSchedule(schedule).label}"
    return f"{words}; active ingredients: {', '.join(sorted(ingredients)) or 'none'}"


def status_refusal(page: MedicinePage, identity, revision_id: int | None) -> str:
    """Why ``page`` may not go live with prescription status ``identity`` (as revision ``revision_id``); "" when
    it may.

    It may when that is the status it shows live now (a publish that leaves it alone), when a pharmacist approved
    that revision (``approve_revision``, the Guide review workflow's pharmacist step), or when the page is an alias
    of a live guide with that status. Anything else, a first publication included, waits for a pharmacist.
    """
    stored = (
        MedicinePage.objects.filter(pk=page.pk).values("live", *MedicinePage.PRESCRIPTION_STATUS_FIELDS).first()
        if page.pk
        else None
    )
    live_status = None
    if stored and stored["live"]:
        live_status = (
            stored["legal_status"],
            stored["controlled_schedule"],
            ingredient_set(stored["active_ingredients"]),
        )
        if live_status == identity:
            return ""
    approvals = GuideApproval.objects.filter(revision_id=revision_id) if revision_id else []
    if any(approval.prescription_identity == identity for approval in approvals):
        return ""
    if page.alias_of_id:
        source = MedicinePage.objects.filter(pk=page.alias_of_id, live=True).first()
        if source is not None and source.prescription_identity == identity:
            return ""
    rule = (
        "Whether a medicine needs a prescription is a pharmacist's decision: submit the guide to Guide review; "
        "it goes live when a pharmacist approves it."
    )
    if live_status is None:
        return f"“{page.title}” is not live with a status a pharmacist approved. {rule}"
    return (
        f"“{page.title}” was not published: this version changes its prescription status from "
        f"{describe_identity(live_status)} to {describe_identity(identity)}. {rule}"
    )


def publication_refusal(page: MedicinePage, revision: Revision) -> str:
    """Why publishing ``revision`` of ``page`` is refused ("" when it may go live); for the admin's messages."""
    return status_refusal(page, revision.as_object().prescription_identity, revision.pk)


def check_live_status(page: MedicinePage) -> None:
    """Raise ``PrescriptionStatusLocked`` when saving ``page`` live would put an unapproved status live (called by
    ``MedicinePage.save``, so that every path to going live meets the rule)."""
    refusal = status_refusal(page, page.prescription_identity, page.live_revision_id)
    if refusal:
        raise PrescriptionStatusLocked(refusal)


def keep_review_stamp(page: MedicinePage) -> None:
    """The stamp ``page`` is saved with: the one stored (nobody types it), or, when a pharmacist approved the revision
    going live, that pharmacist and that day."""
    stored = (
        MedicinePage.objects.filter(pk=page.pk).values(*MedicinePage.REVIEW_STAMP_FIELDS).first() if page.pk else None
    )
    for name in MedicinePage.REVIEW_STAMP_FIELDS:
        setattr(page, name, stored[name] if stored else None)
    if page.live and page.live_revision_id:
        approval = GuideApproval.objects.filter(revision_id=page.live_revision_id).order_by("-approved_at").first()
        if approval is not None:
            approval.stamp(page)


@transaction.atomic
def approve_revision(revision: Revision, pharmacist) -> GuideApproval:
    """Record ``pharmacist``'s approval of this revision of a guide (its prescription status as it stands).

    Publishing the revision then writes the review stamp: that pharmacist, that day.
    """
    if not is_pharmacist(pharmacist):
        raise PermissionDenied("Only a pharmacist (a member of the Pharmacists group) can approve a medicine guide.")
    guide = revision.as_object()
    existing = GuideApproval.objects.filter(revision=revision).first()
    if existing is not None:
        return existing
    return GuideApproval.objects.create(
        page_id=guide.pk,
        revision=revision,
        pharmacist=pharmacist,
        approved_at=timezone.now(),
        legal_status=guide.legal_status,
        controlled_schedule=guide.controlled_schedule,
        active_ingredients=guide.active_ingredients,
    )


def pharmacist_approval(workflow_state, revision: Revision):
    """The pharmacist who approved ``revision`` in ``workflow_state``'s pharmacist step (a group approval task
    for the Pharmacists group), or None."""
    states = (
        TaskState.objects.filter(workflow_state=workflow_state, revision=revision, status=TaskState.STATUS_APPROVED)
        .filter(task__in=GroupApprovalTask.objects.filter(groups__name=PHARMACISTS))
        .select_related("finished_by")
        .order_by("-finished_at")
    )
    for state in states:
        if is_pharmacist(state.finished_by):
            return state.finished_by
    return None


def finish_review(workflow_state, user=None) -> None:
    """``WAGTAIL_FINISH_WORKFLOW_ACTION``: a workflow every task of which approved its latest revision.

    For a guide, the pharmacist who approved it in the workflow's pharmacist step is recorded
    (``approve_revision``); then the revision is published (for a guide, with its review stamp).
    """
    page = workflow_state.content_object.specific
    revision = page.get_latest_revision()
    if isinstance(page, MedicinePage):
        pharmacist = pharmacist_approval(workflow_state, revision)
        if pharmacist is not None:
            approve_revision(revision, pharmacist)
    revision.publish(user=user)


def approve_and_publish(page: MedicinePage, pharmacist, *, user=None) -> Revision:
    """Save ``page`` as a revision, record ``pharmacist``'s approval of it, and publish it (the demo loader's and
    the tests' way of making an approved guide; the admin goes through the workflow). ``page`` is reloaded: live."""
    revision = page.save_revision(user=user or pharmacist)
    approve_revision(revision, pharmacist)
    revision.publish(user=user or pharmacist)
    page.refresh_from_db()
    return revision


# ---------------------------------------------------------------------------
# Ingredients that need a prescription


def prescription_only_guides(ingredients: set[str] | frozenset[str]) -> dict[str, list[MedicinePage]]:
    """For each normalised ingredient name given, the live guides that list it and are prescription-only; one
    query, on the guides' normalised ingredients (``MedicinePage.ingredient_keys``)."""
    from django.db.models import Q

    names = {name for name in ingredients if name}
    if not names:
        return {}
    match = Q()
    for name in names:
        match |= Q(ingredient_keys__contains=f"|{name}|")
    found: dict[str, list[MedicinePage]] = {}
    for guide in MedicinePage.objects.live().prescription_only().filter(match).order_by("title"):
        for name in names & guide.ingredients:
            found.setdefault(name, []).append(guide)
    return found


def ruling_guides(ingredients: frozenset[str], ruling: dict[str, list[MedicinePage]]) -> list[MedicinePage]:
    """The guides of ``ruling`` (``prescription_only_guides``) that make one of ``ingredients`` prescription-only."""
    return sorted({guide for name in ingredients for guide in ruling.get(name, [])}, key=lambda guide: guide.title)


def ruling_reason(ingredients: frozenset[str], guides: list[MedicinePage]) -> str:
    """ "tizanidine is prescription-only (guide “Tizanidine”)", or "" when no guide rules."""
    if not guides:
        return ""
    ruled = ingredients & frozenset().union(*(guide.ingredients for guide in guides))
    titles = "”, “".join(guide.title for guide in guides)
    return f"{', '.join(sorted(ruled))} is prescription-only (guide “{titles}”)"

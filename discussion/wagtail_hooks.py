"""Comment moderation in the Wagtail admin.

"Comments" in the main menu (with the number awaiting moderation) lists every
comment, filterable by status, by pharmacist and by why it is held for a pharmacist
(``discussion.triage``: "URGENT" marks one that reads as an emergency), searchable by name and text.
Only a pharmacist may approve a comment held for a pharmacist (``services.may_publish``).
Select comments to approve them, mark them as spam or delete them; each bulk
action needs the matching permission and goes through ``discussion.services``,
which logs it. A pharmacist answers a question from its "Answer" screen (``admin_views.AnswerView``), linked
from the comment's edit screen and from the new-question e-mail.
"""

from __future__ import annotations

from django.urls import path
from django.utils.functional import cached_property
from django_filters import ChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from apothecary.core.admin import CountedMenuItemMixin, LimitedPermissionPolicy
from discussion import services
from discussion.admin_views import AnswerLinkPanel, AnswerView
from discussion.models import Comment, CommentStatus, Concern

# The model's permissions, except that nobody adds comments in the admin: they are written on the site.
register_permission_policy(Comment, LimitedPermissionPolicy(Comment, refused=["add"]))


class CommentFilterSet(WagtailFilterSet):
    held_for = ChoiceFilter(
        label="Held for a pharmacist", choices=Concern.choices, field_name="concerns__concern", empty_label="Any"
    )

    class Meta:
        model = Comment
        fields = ["status", "by_pharmacist", "held_for"]


def held_for(comment: Comment) -> str:
    """Why ``comment`` is held for a pharmacist, most urgent first; "URGENT" leads for an emergency."""
    labels = [held.get_concern_display() for held in comment.held_concerns()]
    return ("URGENT: " if comment.is_urgent else "") + ", ".join(labels)


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    menu_name = "comments"
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        Column("excerpt", label="Comment"),
        Column("page_title", label="Page", accessor="page.title"),
        Column("author_name", label="Author"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("held_for", label="Held for a pharmacist", accessor=held_for),
        Column("by_pharmacist", label="Pharmacist", accessor=lambda comment: "Yes" if comment.by_pharmacist else ""),
        DateColumn("created_at", label="Created", sort_key="created_at"),
    ]
    filterset_class = CommentFilterSet
    search_fields = ["author_name", "body"]
    search_backend_name = None  # plain database search on the fields above
    list_per_page = 50
    # Status changes go through the bulk actions (and their log entries), and a
    # comment stays where it was posted; comments are written on the site, not here
    # (see the permission policy above).
    panels = [
        AnswerLinkPanel(heading="Answer"),
        FieldPanel("status", read_only=True),
        FieldPanel("body"),
        FieldPanel("author_name"),
        FieldPanel("author_email"),
        FieldPanel("page", read_only=True),
        FieldPanel("parent", read_only=True),
        MultiFieldPanel(
            [
                FieldPanel("by_pharmacist", read_only=True),
                FieldPanel("created_at", read_only=True),
                FieldPanel("ip_address", read_only=True),
                FieldPanel("notify_author", read_only=True),
            ],
            heading="Recorded when posted",
        ),
    ]

    def get_queryset(self, request):
        return Comment.objects.select_related("page").prefetch_related("concerns")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("answer/<int:pk>/", AnswerView.as_view(), name="answer")]

    @cached_property
    def menu_item_class(self):
        base = super().menu_item_class

        class CommentsMenuItem(CountedMenuItemMixin, base):
            """The menu item, labelled with the number of comments awaiting moderation."""

            def waiting(self, request) -> int:
                return Comment.objects.pending().count()

        return CommentsMenuItem


register_snippet(CommentViewSet)


@hooks.register("register_log_actions")
def register_comment_log_actions(actions):
    actions.register_action("discussion.approve", "Approve comment", "Approved the comment")
    actions.register_action("discussion.spam", "Mark comment as spam", "Marked the comment as spam")
    actions.register_action("discussion.answer", "Answer as a pharmacist", "Answered as a pharmacist")


# ---------------------------------------------------------------------------
# Bulk actions on the comment listing


class CommentBulkActionMixin:
    """A bulk action on comments that passes the user to its service and says what it ``done`` to how many."""

    models = [Comment]
    done = ""  # "approved", "deleted"

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        noun = self.model._meta.verbose_name if num_parent_objects == 1 else self.model._meta.verbose_name_plural
        return f"{num_parent_objects} {noun} {self.done}."


class CommentModerationBulkAction(CommentBulkActionMixin, SnippetBulkAction):
    """Sets the selected comments' status through a service (``moderate``); needs ``change_comment``."""

    template_name = "discussion/admin/confirm_bulk_moderation.html"
    new_status: str = ""
    verb = ""  # "approve", "mark as spam"
    service = ""  # the ``discussion.services`` function: (comments, user) -> how many it changed

    def check_perm(self, snippet):
        user = self.request.user
        allowed = self.permission_policy.user_has_permission_for_instance(user, "change", snippet)
        # A comment held for a pharmacist is published by a pharmacist only; it can still be marked as spam.
        return allowed and (self.new_status != CommentStatus.APPROVED or services.may_publish(snippet, user))

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return getattr(services, cls.service)(objects, user), 0

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "verb": self.verb, "new_status": self.new_status}


# The moderation actions, in the menu's order:
# (action type, new status, button, screen readers' label, what was done, the ``discussion.services`` function).
MODERATION_ACTIONS = (
    ("approve", CommentStatus.APPROVED, "Approve", "Approve selected comments", "approved", "approve"),
    ("spam", CommentStatus.SPAM, "Mark as spam", "Mark selected comments as spam", "marked as spam", "mark_spam"),
)


def moderation_bulk_action(priority, action_type, status, label, aria_label, done, service):
    """The bulk action that gives the selected comments ``status`` through ``service``."""
    attributes = {
        "display_name": label,
        "action_type": action_type,
        "aria_label": aria_label,
        "action_priority": priority,
        "new_status": status,
        "verb": label.lower(),  # "approve", "mark as spam"
        "done": done,
        "service": service,
    }
    return type(f"{status.name.title()}BulkAction", (CommentModerationBulkAction,), attributes)


class DeleteCommentsBulkAction(CommentBulkActionMixin, DeleteBulkAction):
    """Wagtail's bulk delete for comments, through ``services.delete`` so it is logged."""

    done = "deleted"

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        services.delete(objects, user)
        return len(objects), 0


for number, action in enumerate(MODERATION_ACTIONS, start=1):
    hooks.register("register_bulk_action", moderation_bulk_action(10 * number, *action))
# Registered after Wagtail's own delete action (order 0), so this one wins for comments.
hooks.register("register_bulk_action", DeleteCommentsBulkAction, order=100)

"""Comment moderation in the Wagtail admin.

"Comments" in the main menu (with the number awaiting moderation) lists every
comment, filterable by status and by pharmacist, searchable by name and text.
Select comments to approve them, mark them as spam or delete them; each bulk
action needs the matching permission and goes through ``discussion.services``,
which logs it.
"""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from apothecary.core.admin import LimitedPermissionPolicy
from discussion import services
from discussion.models import Comment, CommentStatus

# The model's permissions, except that nobody adds comments in the admin: they are written on the site.
register_permission_policy(Comment, LimitedPermissionPolicy(Comment, refused=["add"]))


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
        Column("by_pharmacist", label="Pharmacist", accessor=lambda comment: "Yes" if comment.by_pharmacist else ""),
        DateColumn("created_at", label="Created", sort_key="created_at"),
    ]
    list_filter = ["status", "by_pharmacist"]
    search_fields = ["author_name", "body"]
    search_backend_name = None  # plain database search on the fields above
    list_per_page = 50
    # Status changes go through the bulk actions (and their log entries), and a
    # comment stays where it was posted; comments are written on the site, not here
    # (see the permission policy above).
    panels = [
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
            ],
            heading="Recorded when posted",
        ),
    ]

    def get_queryset(self, request):
        return Comment.objects.select_related("page")

    @cached_property
    def menu_item_class(self):
        base = super().menu_item_class

        class CommentsMenuItem(base):
            """The menu item, labelled with the number of comments awaiting moderation."""

            def render_component(self, request):
                component = super().render_component(request)
                pending = Comment.objects.pending().count()
                if pending:
                    component.label = f"{self.label} ({pending})"
                return component

        return CommentsMenuItem


register_snippet(CommentViewSet)


@hooks.register("register_log_actions")
def register_comment_log_actions(actions):
    actions.register_action("discussion.approve", "Approve comment", "Approved the comment")
    actions.register_action("discussion.spam", "Mark comment as spam", "Marked the comment as spam")


# ---------------------------------------------------------------------------
# Bulk actions on the comment listing


class CommentModerationBulkAction(SnippetBulkAction):
    """Sets the selected comments' status through a service; needs ``change_comment``."""

    models = [Comment]
    template_name = "discussion/admin/confirm_bulk_moderation.html"
    new_status: str = ""
    verb = ""  # "approve", "mark as spam"
    done = ""  # "approved", "marked as spam"

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", snippet)

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def moderate(cls, objects, user) -> int:
        raise NotImplementedError

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return cls.moderate(objects, user), 0

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "verb": self.verb, "new_status": self.new_status}

    def get_success_message(self, num_parent_objects, num_child_objects):
        noun = self.model._meta.verbose_name if num_parent_objects == 1 else self.model._meta.verbose_name_plural
        return f"{num_parent_objects} {noun} {self.done}."


class ApproveBulkAction(CommentModerationBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve selected comments"
    action_priority = 10
    new_status = CommentStatus.APPROVED
    verb = "approve"
    done = "approved"

    @classmethod
    def moderate(cls, objects, user) -> int:
        return services.approve(objects, user)


class MarkSpamBulkAction(CommentModerationBulkAction):
    display_name = "Mark as spam"
    action_type = "spam"
    aria_label = "Mark selected comments as spam"
    action_priority = 20
    new_status = CommentStatus.SPAM
    verb = "mark as spam"
    done = "marked as spam"

    @classmethod
    def moderate(cls, objects, user) -> int:
        return services.mark_spam(objects, user)


class DeleteCommentsBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete for comments, through ``services.delete`` so it is logged."""

    models = [Comment]

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        services.delete(objects, user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        noun = self.model._meta.verbose_name if num_parent_objects == 1 else self.model._meta.verbose_name_plural
        return f"{num_parent_objects} {noun} deleted."


hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("register_bulk_action", MarkSpamBulkAction)
# Registered after Wagtail's own delete action (order 0), so this one wins for comments.
hooks.register("register_bulk_action", DeleteCommentsBulkAction, order=100)

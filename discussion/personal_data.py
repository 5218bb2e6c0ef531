"""A reader's comments in their data download, and anonymised when their account is deleted."""

from __future__ import annotations

from accounts.personal_data import FORMER_READER, Export
from apothecary.core import freshness
from discussion.models import Comment


def _theirs(user):
    return Comment.objects.filter(author=user) | Comment.objects.filter(author_email__iexact=user.email)


def export(user) -> Export:
    comments = _theirs(user).select_related("page").order_by("created_at")
    return Export(
        [
            {
                "page": comment.page.title,
                "written": comment.created_at,
                "name_shown": comment.author_name,
                "comment": comment.body,
                "status": comment.get_status_display(),
                "sent_from_address": comment.ip_address,
                "email_when_published_or_answered": comment.notify_author,
            }
            for comment in comments
        ]
    )


def erase(user, retained_until) -> str:
    """The comments stay (the conversation under a guide makes sense only whole) as a former reader's: no name,
    no e-mail, no address, no link to the account."""
    from wagtail.models import ModelLogEntry

    comments = list(_theirs(user).values_list("pk", flat=True))
    count = Comment.objects.filter(pk__in=comments).update(
        author_name=FORMER_READER, author_email="", ip_address=None, author=None, notify_author=False
    )
    if count:
        freshness.content_changed("a reader's comments anonymised")  # their name leaves the public pages
    # The moderation history named the comments "<name>: <excerpt>".
    ModelLogEntry.objects.filter(
        content_type__app_label="discussion", content_type__model="comment", object_id__in=[str(pk) for pk in comments]
    ).update(label=f"{FORMER_READER}'s comment")
    return f"{count} comment(s) anonymised" if count else ""

"""A reader's comments in their data download, and anonymised when their account is deleted."""

from __future__ import annotations

from accounts.personal_data import FORMER_READER, Export
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
            }
            for comment in comments
        ]
    )


def erase(user, retained_until) -> str:
    """The comments stay (the conversation under a guide makes sense only whole) as a former reader's: no name,
    no e-mail, no address, no link to the account."""
    count = _theirs(user).update(author_name=FORMER_READER, author_email="", ip_address=None, author=None)
    return f"{count} comment(s) anonymised" if count else ""

"""Background jobs for the discussion: e-mailing moderators.

With the default ``TASKS`` setting django-tasks runs these immediately, in the
request; with a queue backend a worker runs them. Either way the comment has
already been saved, so a failure here never loses it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import NoReverseMatch, reverse
from django_tasks import task

logger = logging.getLogger(__name__)


def moderation_url(comment) -> str:
    """The admin address where a moderator edits ``comment``."""
    try:
        path = reverse("wagtailsnippets_discussion_comment:edit", args=[comment.pk])
    except NoReverseMatch:
        path = "/admin/"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task()
def send_moderation_notice(comment_id: int) -> int:
    """E-mail each moderator that comment ``comment_id`` awaits moderation; returns how many were sent.

    One message per moderator, so no one sees the others' addresses. The
    author's e-mail address is not included: moderators see it in the admin.
    """
    from discussion.models import Comment, CommentStatus
    from discussion.services import moderator_emails

    comment = Comment.objects.select_related("page").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.PENDING:
        return 0  # deleted or already moderated before the job ran
    recipients = moderator_emails()
    if not recipients:
        logger.warning("Comment %s awaits moderation but there are no moderators to tell", comment.pk)
        return 0
    kind = "reply" if comment.parent_id else "comment"
    subject = f"New {kind} awaiting moderation on “{comment.page.title}”"
    body = (
        f"{comment.author_name} wrote a {kind} on “{comment.page.title}”:\n\n"
        f"{comment.body}\n\n"
        f"Approve it, mark it as spam or delete it here:\n{moderation_url(comment)}\n"
    )
    messages = [EmailMessage(subject, body, to=[address]) for address in recipients]
    with get_connection() as connection:
        sent = connection.send_messages(messages) or 0
    logger.info("Told %d moderator(s) about comment %s", sent, comment.pk)
    return sent

"""Background jobs for the discussion: e-mailing moderators and pharmacists about a new comment or question,
and an author who asked to be told when their comment is published and when a pharmacist answers it.

Every link is absolute, from ``settings.SITE_URL``. The author's address is never sent to anyone else.

They are queued once the comment's transaction commits and run by the background worker (``TASKS_BACKEND``; in the
tests, inside the request). Either way the comment has already been saved, so a failure here never loses it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import NoReverseMatch, reverse
from django_tasks import task

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    """``path`` on the site's address (``settings.SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


def admin_url(name: str, comment) -> str:
    try:
        path = reverse(f"wagtailsnippets_discussion_comment:{name}", args=[comment.pk])
    except NoReverseMatch:
        path = "/admin/"
    return absolute(path)


def moderation_url(comment) -> str:
    """The admin address where a moderator edits ``comment``."""
    return admin_url("edit", comment)


def answer_url(comment) -> str:
    """The admin address where a pharmacist answers ``comment``."""
    return admin_url("answer", comment)


def comment_url(comment) -> str:
    """The public address of ``comment`` on its page (the page's path on ``SITE_URL``)."""
    parts = comment.page.get_url_parts()
    path = parts[2] if parts else "/"
    return absolute(f"{path}#comment-{comment.pk}")


def stop_url(comment) -> str:
    """The link that stops the e-mails about ``comment``."""
    from discussion.services import stop_token

    return absolute(reverse("discussion:stop", args=[stop_token(comment)]))


# How an urgent e-mail is marked for mail programs (Outlook's "Importance", the older "X-Priority" and "Priority").
URGENT_HEADERS = {"Importance": "high", "X-Priority": "1 (Highest)", "Priority": "urgent"}


def send(subject: str, body: str, addresses, *, urgent: bool = False) -> int:
    """One message per address, so nobody sees another's address; returns how many were sent. ``urgent``: marked
    as urgent for mail programs."""
    headers = URGENT_HEADERS if urgent else None
    messages = [EmailMessage(subject, body, to=[address], headers=headers) for address in addresses]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def signature(comment) -> str:
    return (
        f"\nYou get this e-mail because you asked to be told about your {kind(comment)}. "
        f"To stop these e-mails: {stop_url(comment)}\n"
    )


def kind(comment) -> str:
    return "reply" if comment.parent_id else "question"


def held_lines(concerns) -> str:
    """Why a comment is held for a pharmacist, a line each with the reader's words, for an e-mail; "" for none."""
    if not concerns:
        return ""
    lines = "".join(f"- {held.get_concern_display()}: “{held.reason}”\n" for held in concerns)
    return f"Held for a pharmacist because it reads as:\n{lines}\n"


@task()
def send_moderation_notice(comment_id: int) -> int:
    """E-mail each moderator that comment ``comment_id`` awaits moderation, and each pharmacist
    (``services.pharmacist_emails``) that a new question, or any comment held for a pharmacist, awaits them, with
    the link to answer it; returns how many were sent.

    A held comment's e-mails say why it is held, in the reader's words; one that reads as an emergency goes out
    marked urgent ("URGENT" in the subject, and the mail headers of an urgent message). One message per person,
    so no one sees the others' addresses. The author's e-mail address is not included: moderators see it in the
    admin.
    """
    from discussion.models import Comment, CommentStatus
    from discussion.services import moderator_emails, pharmacist_emails

    comment = Comment.objects.select_related("page").prefetch_related("concerns").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.PENDING:
        return 0  # deleted or already moderated before the job ran
    concerns = comment.held_concerns()
    urgent = comment.is_urgent
    pharmacists = set(pharmacist_emails()) if comment.parent_id is None or concerns else set()
    moderators = set(moderator_emails()) - pharmacists
    if not moderators and not pharmacists:
        logger.warning("Comment %s awaits moderation but there are no moderators to tell", comment.pk)
        return 0
    what = "reply" if comment.parent_id else "comment"
    title = comment.page.title
    prefix = "URGENT, may be an emergency: " if urgent else ""
    subject = f"{prefix}New {what} awaiting moderation on “{title}”"
    body = (
        f"{comment.author_name} wrote a {what} on “{title}”:\n\n"
        f"{comment.body}\n\n"
        f"{held_lines(concerns)}"
        f"Approve it, mark it as spam or delete it here:\n{moderation_url(comment)}\n"
    )
    sent = send(subject, body, sorted(moderators), urgent=urgent)
    if pharmacists:
        subject = f"{prefix}New {kind(comment)} for a pharmacist on “{title}”"
        advice = (
            "The reader was shown the emergency numbers at once. " if urgent else ""
        ) + "Answer it as a pharmacist (this publishes it):"
        sent += send(subject, body + f"\n{advice}\n{answer_url(comment)}\n", sorted(pharmacists), urgent=urgent)
    logger.info("Told %d moderator(s) and pharmacist(s) about comment %s", sent, comment.pk)
    return sent


@task()
def send_published_notice(comment_id: int) -> int:
    """Tell the author of comment ``comment_id`` it is published, if they asked and were not told yet."""
    from django.utils import timezone

    from discussion.models import Comment, CommentStatus

    comment = Comment.objects.select_related("page").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.APPROVED or not comment.notify_author:
        return 0
    if not comment.author_email:
        return 0  # the author's account was deleted and the comment anonymised
    # Claim the notice first, so two jobs for one approval send one e-mail.
    claimed = Comment.objects.filter(pk=comment.pk, published_notice_sent_at=None).update(
        published_notice_sent_at=timezone.now()
    )
    if not claimed:
        return 0
    body = (
        f"Hello {comment.author_name},\n\n"
        f"Your {kind(comment)} on “{comment.page.title}” has been published:\n{comment_url(comment)}\n\n"
        f"{comment.body}\n"
        + ("\nWe will e-mail you again when a pharmacist answers it.\n" if comment.parent_id is None else "")
        + signature(comment)
    )
    return send(f"Your {kind(comment)} on “{comment.page.title}” is published", body, [comment.author_email])


@task()
def send_answer_notice(reply_id: int) -> int:
    """Tell the author of the question that pharmacist's reply ``reply_id`` answers, if they asked."""
    from discussion.models import Comment, CommentStatus

    reply = Comment.objects.select_related("page", "parent").filter(pk=reply_id).first()
    if reply is None or reply.parent is None or not reply.by_pharmacist or reply.status != CommentStatus.APPROVED:
        return 0
    question = reply.parent
    if not question.notify_author or question.status != CommentStatus.APPROVED or not question.author_email:
        return 0
    body = (
        f"Hello {question.author_name},\n\n"
        f"A pharmacist, {reply.author_name}, answered your question on “{reply.page.title}”:\n\n"
        f"{reply.body}\n\n"
        f"Read it on the page: {comment_url(reply)}\n\n"
        "This answer is general information, not advice about your own treatment: for that, ask your pharmacist "
        "or doctor.\n" + signature(question)
    )
    return send(f"A pharmacist answered your question on “{reply.page.title}”", body, [question.author_email])

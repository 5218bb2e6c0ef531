"""The rules of the discussion under guides and articles.

Views, forms, the admin and scripts call these functions; they hold the rules:

* who may post and how often (``check_rate_limit``, ``validate_link_count``);
* what a new comment looks like (``post_comment``: pharmacists' answers are
  published at once, everything else waits for a moderator, who is e-mailed; a new
  question is also sent to the pharmacists, ``pharmacist_emails``);
* which comments wait for a pharmacist, and why (``hold_for_pharmacist``, from ``discussion.triage``: an
  emergency, a reported side effect, a question about a dose, stopping, pregnancy or mixing medicines), who may
  publish them (``may_publish``: a pharmacist), and what the reader is shown at once (``advice_for_reader``:
  emergency numbers, where to report a side effect);
* what moderators may do, and that it is logged (``approve``, ``mark_spam``,
  ``delete``), and who the moderators are (the Moderators group, ``apothecary.core.roles``);
* a pharmacist's answer from the admin (``answer``: publishes the question and the answer, logged);
* who is told (``notify_*``): an author who opted in (``Comment.notify_author``) is e-mailed when their
  comment is published and when a pharmacist answers their question, and can stop it (``stop_notifications``);
* what readers see (``comment_thread``: approved threads, a page at a time, in
  two SQL queries however many comments there are).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from wagtail.log_actions import log
from wagtail.models import Page, get_page_models

from apothecary.core import freshness, ratelimit
from apothecary.core.ratelimit import address_group
from apothecary.core.roles import MODERATORS, PHARMACISTS, is_pharmacist
from discussion.models import Comment, CommentConcern, CommentStatus, Concern
from discussion.text import count_links, normalise_newlines
from discussion.triage import triage

logger = logging.getLogger(__name__)

COMMENTS_PER_PAGE = 20
RATE_LIMIT_KEY = "discussion:rate:{}"

# What the public listing loads: never the e-mail address or the IP address.
PUBLIC_FIELDS = ("id", "page", "parent", "author_name", "body", "by_pharmacist", "created_at", "status")


class RateLimited(Exception):
    """Too many comments from one address; try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many comments; retry after {retry_after} seconds.")
        self.retry_after = retry_after


# ---------------------------------------------------------------------------
# Where comments may be posted, and by whom


def commentable_page_models() -> list[type[Page]]:
    """The page types that accept comments: those that say so with ``accepts_comments = True`` (guides and
    articles). ``discussion`` never imports them."""
    return [model for model in get_page_models() if getattr(model, "accepts_comments", False)]


def commentable_pages():
    """The pages readers may comment on: live, public pages of a type that accepts comments."""
    return Page.objects.live().public().type(*commentable_page_models())


def find_reply_target(page: Page, comment_id: int) -> Comment | None:
    """The approved thread on ``page`` that a reply to ``comment_id`` joins, or None.

    A reply to a reply joins the reply's thread (threads are one level deep).
    """
    comment = Comment.objects.approved().filter(page=page, pk=comment_id).select_related("parent").first()
    if comment is None:
        return None
    if comment.parent_id is not None:
        parent = comment.parent
        return parent if parent.status == CommentStatus.APPROVED else None
    return comment


def rate_limit_key(ip_address: str) -> str:
    """The cache key counting posts from ``ip_address``; IPv6 clients count per /64 network."""
    return RATE_LIMIT_KEY.format(address_group(ip_address))


def check_rate_limit(ip_address: str | None) -> None:
    """Count one post from ``ip_address``; raise ``RateLimited`` past the limit.

    At most ``COMMENT_RATE_LIMIT`` posts per ``COMMENT_RATE_WINDOW`` seconds
    (a fixed window that starts with the first post), counted in the cache so
    that every web process shares the count when the cache is Redis.
    """
    limit, window = settings.COMMENT_RATE_LIMIT, settings.COMMENT_RATE_WINDOW
    if not ip_address or limit <= 0:
        return
    posts = ratelimit.count(rate_limit_key(ip_address), window)
    if posts > limit:
        logger.warning("Comment rate limit reached for %s (%d posts in the window)", ip_address, posts)
        raise RateLimited(retry_after=window)


def validate_link_count(body: str) -> None:
    """Refuse a body with more than ``COMMENT_MAX_LINKS`` links."""
    limit = settings.COMMENT_MAX_LINKS
    if count_links(body) > limit:
        if limit == 0:
            message = "Please remove the links from your comment."
        elif limit == 1:
            message = "Please include no more than 1 link in your comment."
        else:
            message = f"Please include no more than {limit} links in your comment."
        raise ValidationError(message, code="too_many_links")


# ---------------------------------------------------------------------------
# Posting


def post_comment(
    page: Page,
    *,
    name: str,
    email: str,
    body: str,
    parent: Comment | None = None,
    user=None,
    ip_address: str | None = None,
    notify: bool = False,
) -> Comment:
    """Save a reader's comment, or a reply to ``parent``, and tell the moderators.

    A pharmacist's comment (``user`` in the Pharmacists group) is approved at
    once and flagged ``by_pharmacist``; anyone else's waits for moderation and
    the moderators are e-mailed. Raises ``RateLimited`` when ``ip_address`` has
    posted too often (pharmacists and moderators are exempt), and ``ValidationError`` for a body that breaks the rules
    (too long, too many links) or a reply on another page. A reply to a reply
    joins the top-level comment's thread. ``notify``: the author asked to be
    e-mailed when it is published and when a pharmacist answers it; a
    pharmacist's reply e-mails the thread's author if they asked.
    """
    if user is not None and not user.is_authenticated:
        user = None
    by_pharmacist = user is not None and user.is_pharmacist()
    if not (by_pharmacist or (user is not None and user.has_perm("discussion.change_comment"))):
        check_rate_limit(ip_address)  # pharmacists and moderators answering many questions are not limited
    comment = Comment(
        page=page,
        parent=parent,
        author_name=name.strip(),
        author_email=email.strip(),
        author=user,
        body=normalise_newlines(body).strip(),
        status=CommentStatus.APPROVED if by_pharmacist else CommentStatus.PENDING,
        by_pharmacist=by_pharmacist,
        ip_address=ip_address or None,
        notify_author=bool(notify) and not by_pharmacist,
    )
    comment.full_clean()
    validate_link_count(comment.body)
    comment.save()
    if not by_pharmacist:
        hold_for_pharmacist(comment)
    logger.info(
        "Comment %s posted on page %s (%s)%s",
        comment.pk,
        page.pk,
        comment.status,
        " by a pharmacist" if by_pharmacist else "",
    )
    if comment.status == CommentStatus.PENDING:
        notify_moderators(comment)
    elif by_pharmacist and comment.parent_id is not None:
        notify_answer(comment)
    return comment


def hold_for_pharmacist(comment: Comment) -> list[CommentConcern]:
    """Record why a reader's ``comment`` must wait for a pharmacist (``discussion.triage``), with the reader's words
    that gave each concern away; returns them, most urgent first ([] when nothing holds it).

    A held comment is never published by itself: it stays pending until a pharmacist publishes or answers it
    (``may_publish``), and the pharmacists are told at once, urgently for an emergency (``tasks``).
    """
    held = [
        CommentConcern(comment=comment, concern=finding.concern, reason=finding.reason[:200])
        for finding in triage(comment.body)
    ]
    CommentConcern.objects.bulk_create(held)
    if held:
        logger.info("Comment %s held for a pharmacist: %s", comment.pk, ", ".join(row.concern for row in held))
    return held


HELD_FOR_PHARMACIST = (
    "Only a pharmacist can publish a comment held for a pharmacist (an emergency, a side effect, a question about a "
    "dose, stopping, pregnancy or mixing medicines): a pharmacist answers it from its Answer screen."
)


def held_from(comments: Iterable[Comment], user) -> list[Comment]:
    """The ``comments`` that ``user`` may not publish: those held for a pharmacist, unless ``user`` is one.
    One query."""
    comments = list(comments)
    if is_pharmacist(user) or not comments:
        return []
    held = set(
        CommentConcern.objects.filter(comment__in=[comment.pk for comment in comments]).values_list(
            "comment_id", flat=True
        )
    )
    return [comment for comment in comments if comment.pk in held]


def may_publish(comment: Comment, user) -> bool:
    """Whether ``user`` may publish ``comment`` as far as triage goes: anyone who moderates, unless it is held for
    a pharmacist; then only a pharmacist."""
    return not held_from([comment], user)


REMINDER = "reminder"


def advice_for_reader(comment: Comment) -> list[str]:
    """What the reader who just posted ``comment`` is shown at once, before any moderator has read it: the emergency
    numbers when it reads as an emergency (``Concern.EMERGENCY``), else a line saying that questions here are no
    emergency service, with the number to call (``REMINDER``: the rules can miss an emergency said in words they do
    not know); and where to report a side effect when it reports one (``Concern.SIDE_EFFECT``). Nothing for a
    pharmacist's answer, published at once."""
    if comment.status == CommentStatus.APPROVED:
        return []
    concerns = {held.concern for held in comment.held_concerns()}
    advice = [Concern.EMERGENCY.value if Concern.EMERGENCY in concerns else REMINDER]
    return advice + [Concern.SIDE_EFFECT.value] if Concern.SIDE_EFFECT in concerns else advice


def notify_moderators(comment: Comment) -> None:
    """Queue the e-mail telling moderators ``comment`` awaits them, once the comment is committed (a worker must
    find it).

    The comment is already saved: a queue or mail failure is logged, never raised.
    """
    _enqueue("send_moderation_notice", comment.pk)


def _enqueue(task_name: str, comment_id: int) -> None:
    """Queue ``discussion.tasks.<task_name>`` for ``comment_id`` once the transaction commits; a queue failure is
    logged, never raised (the comment is saved either way)."""
    from discussion import tasks

    def run():
        try:
            getattr(tasks, task_name).enqueue(comment_id)
        except Exception:
            logger.exception("Could not queue %s for comment %s", task_name, comment_id)

    transaction.on_commit(run)


def notify_published(comment: Comment) -> None:
    """Queue the e-mail telling ``comment``'s author it is published, if they asked (sent once)."""
    if comment.notify_author and comment.published_notice_sent_at is None:
        _enqueue("send_published_notice", comment.pk)


def notify_answer(reply: Comment) -> None:
    """Queue the e-mail telling the thread's author that a pharmacist answered (``reply``), if they asked."""
    _enqueue("send_answer_notice", reply.pk)


def pharmacist_emails() -> list[str]:
    """Who hears of new questions: ``DISCUSSION_PHARMACIST_EMAILS`` when set, else the active members of the
    Pharmacists group."""
    from django.contrib.auth import get_user_model

    configured = settings.DISCUSSION_PHARMACIST_EMAILS
    if configured:
        return sorted({address.strip() for address in configured if address.strip()})
    users = get_user_model().objects.filter(is_active=True, groups__name=PHARMACISTS).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def moderator_emails() -> list[str]:
    """The addresses of active users in the Moderators group, and of active superusers."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects.filter(is_active=True).filter(Q(groups__name=MODERATORS) | Q(is_superuser=True))
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


# ---------------------------------------------------------------------------
# Moderation


def _require_permission(moderator, action: str) -> None:
    if moderator is None or not moderator.has_perm(f"discussion.{action}_comment"):
        raise PermissionDenied(f"You need the {action}_comment permission to moderate comments.")


def _set_status(comments: Iterable[Comment], status: str, moderator, action: str) -> int:
    _require_permission(moderator, "change")
    changed = [comment for comment in comments if comment.status != status]
    with transaction.atomic():
        Comment.objects.filter(pk__in=[comment.pk for comment in changed]).update(status=status)
        if any(CommentStatus.APPROVED in (comment.status, status) for comment in changed):
            freshness.content_changed("comments published or hidden")
        for comment in changed:
            comment.status = status
            log(comment, action, user=moderator)
    logger.info("%s set %d comment(s) to %s: %s", moderator, len(changed), status, [c.pk for c in changed])
    return len(changed)


def approve(comments: Iterable[Comment], moderator) -> int:
    """Publish ``comments``; returns how many changed. Needs ``change_comment``, and for a comment held for a
    pharmacist, a pharmacist (``may_publish``): otherwise nothing is published. Authors who asked are told."""
    comments = list(comments)
    if held_from(comments, moderator):
        raise PermissionDenied(HELD_FOR_PHARMACIST)
    changed = _set_status(comments, CommentStatus.APPROVED, moderator, "discussion.approve")
    for comment in comments:
        notify_published(comment)
    return changed


def answer(question: Comment, pharmacist, body: str) -> Comment:
    """A pharmacist's answer to ``question`` (or to the thread it is a reply in), published at once.

    Only a pharmacist (``apothecary.core.roles.is_pharmacist``) may answer; a question awaiting moderation is
    approved first (logged, its author told if they asked); a question marked as spam is not answered. The
    answer is signed with the pharmacist's name, never their e-mail address, and logged; the asker is e-mailed
    if they asked.
    """
    if not is_pharmacist(pharmacist):
        raise PermissionDenied("Only a pharmacist can answer a question.")
    thread = question.parent if question.parent_id is not None else question
    if thread.status == CommentStatus.SPAM:
        raise ValidationError("This question is marked as spam: approve it before answering.")
    with transaction.atomic():  # an answer refused (too long, too many links) leaves the question as it was
        if thread.status == CommentStatus.PENDING:
            approve([thread], pharmacist)
        reply = post_comment(
            thread.page,
            name=pharmacist.get_full_name() or "Pharmacist",
            email=pharmacist.email,
            body=body,
            parent=thread,
            user=pharmacist,
        )
        log(reply, "discussion.answer", user=pharmacist)
    logger.info("%s answered comment %s with %s", pharmacist, thread.pk, reply.pk)
    return reply


STOP_SALT = "discussion.stop-notifications"


def stop_token(comment: Comment) -> str:
    """The signed token of the link that stops e-mails about ``comment`` (no expiry: it only ever stops them)."""
    return signing.dumps(comment.pk, salt=STOP_SALT)


def comment_for_stop_token(token: str) -> Comment | None:
    """The comment a stop link names, or None for a forged or mangled token."""
    try:
        pk = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return Comment.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def stop_notifications(comment: Comment) -> None:
    """The author no longer wants e-mails about ``comment`` (the link in each of them)."""
    if comment.notify_author:
        comment.notify_author = False
        comment.save(update_fields=["notify_author"])
        logger.info("E-mails about comment %s stopped by its author", comment.pk)


def mark_spam(comments: Iterable[Comment], moderator) -> int:
    """Hide ``comments`` as spam; returns how many changed. Needs ``change_comment``."""
    return _set_status(comments, CommentStatus.SPAM, moderator, "discussion.spam")


def delete(comments: Iterable[Comment], moderator) -> int:
    """Delete ``comments`` and their replies; returns how many rows went. Needs ``delete_comment``."""
    _require_permission(moderator, "delete")
    comments = list(comments)
    with transaction.atomic():
        for comment in comments:
            log(comment, "wagtail.delete", user=moderator, deleted=True)
        deleted, _ = Comment.objects.filter(pk__in=[comment.pk for comment in comments]).delete()
        freshness.content_changed("comments deleted")
    logger.info("%s deleted %d comment(s): %s", moderator, deleted, [c.pk for c in comments])
    return deleted


# ---------------------------------------------------------------------------
# Reading


@dataclass
class ThreadPage:
    """One page of a page's discussion: top-level comments, newest first, with ``approved_replies``."""

    comments: list[Comment]
    number: int
    has_older: bool

    @property
    def has_newer(self) -> bool:
        return self.number > 1

    @property
    def older_number(self) -> int:
        return self.number + 1

    @property
    def newer_number(self) -> int:
        return self.number - 1


MAX_COMMENT_PAGE = 10_000


def _page_number(value) -> int:
    """A page number from the query string: 1 for nonsense, never past ``MAX_COMMENT_PAGE``."""
    try:
        return min(max(1, int(value)), MAX_COMMENT_PAGE)
    except (TypeError, ValueError, OverflowError):
        return 1


def comment_thread(page: Page, page_number=1) -> ThreadPage:
    """Approved top-level comments on ``page``, newest first, 20 a page, replies attached.

    Always one query, whatever the number of comments: the page of threads
    (one extra, to learn whether older ones exist, so no COUNT) and the
    approved replies to them, read together and sorted here. Replies are set on
    each thread as ``approved_replies``, oldest first. Only public fields are
    loaded: never the e-mail or IP address.
    """
    number = _page_number(page_number)
    offset = (number - 1) * COMMENTS_PER_PAGE
    approved = Comment.objects.approved().for_page(page)
    thread_ids = (
        approved.filter(parent=None)
        .order_by("-created_at", "-pk")
        .values("pk")[offset : offset + COMMENTS_PER_PAGE + 1]
    )
    rows = list(approved.filter(Q(pk__in=thread_ids) | Q(parent__in=thread_ids)).only(*PUBLIC_FIELDS))
    top_level = sorted(
        (row for row in rows if row.parent_id is None), key=lambda row: (row.created_at, row.pk), reverse=True
    )
    threads = top_level[:COMMENTS_PER_PAGE]
    by_thread: dict[int, list[Comment]] = {thread.pk: [] for thread in threads}
    for reply in sorted((row for row in rows if row.parent_id is not None), key=lambda row: (row.created_at, row.pk)):
        if reply.parent_id in by_thread:
            by_thread[reply.parent_id].append(reply)
    for thread in threads:
        thread.approved_replies = by_thread[thread.pk]
    return ThreadPage(comments=threads, number=number, has_older=len(top_level) > COMMENTS_PER_PAGE)


def pending_comments(page: Page, ids) -> list[Comment]:
    """The comments ``ids`` on ``page`` that still await moderation, oldest first: shown to their writer only (the
    ids come from the writer's session). Public fields only."""
    return list(
        Comment.objects.pending()
        .for_page(page)
        .filter(pk__in=list(ids))
        .order_by("created_at", "pk")
        .only(*PUBLIC_FIELDS)
    )

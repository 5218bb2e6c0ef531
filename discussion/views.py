"""The public endpoints: posting a comment or a reply to a guide or article, and stopping the e-mails about one.

After posting, the reader lands on the confirmation, placed in the comments section (``#comment-posted``), with
their own comment shown to them as awaiting moderation (``remember_posted``: its id kept in their session, never
shown to anyone else). A comment held for a pharmacist says so; one that reads as an emergency shows the emergency
numbers there at once, and one that reports a side effect shows where to report it (``services.advice_for_reader``).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from apothecary.core.csrf import same_origin_posts
from apothecary.core.ratelimit import client_ip
from discussion import services
from discussion.forms import CommentForm
from discussion.models import CommentStatus

logger = logging.getLogger(__name__)

AWAITING_MODERATION = "Thank you. Your comment is awaiting moderation and will appear once a moderator approves it."
PUBLISHED = "Your answer has been published."
WILL_EMAIL = "We will e-mail you when it is published and when a pharmacist answers it."
HELD = "A pharmacist will read it before it is published."
POSTED_ANCHOR = "comment-posted"
# Session keys: the confirmation to show once, and the reader's own comments (shown to them while pending).
NOTICE_KEY = "discussion_notice"
MINE_KEY = "discussion_mine"
MAX_MINE = 20


def remember_posted(request, page, message: str, comment=None, advice=()) -> None:
    """Show ``message`` once in ``page``'s comments section, with the ``advice`` the reader needs at once (names from
    ``services.advice_for_reader``), and ``comment`` to its writer while it is pending."""
    request.session[NOTICE_KEY] = {"page": page.pk, "message": message, "advice": list(advice)}
    if comment is not None and comment.status == CommentStatus.PENDING:
        mine = [pk for pk in request.session.get(MINE_KEY, []) if pk != comment.pk]
        request.session[MINE_KEY] = (mine + [comment.pk])[-MAX_MINE:]


def redirect_to_comments(page, anchor: str = "comments") -> HttpResponseRedirect:
    """A 303 "see other" back to the page's comments, so reloading does not post again."""
    response = HttpResponseRedirect(f"{page.url or '/'}#{anchor}")
    response.status_code = 303
    return response


def rate_limited(request, page, retry_after: int):
    response = render(
        request,
        "discussion/rate_limited.html",
        {"comment_page": page, "retry_minutes": max(1, -(-retry_after // 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


@same_origin_posts  # its form is on pages the front cache serves to everyone (apothecary/core/csrf.py)
@require_POST
def post_comment(request, page_id: int):
    """Post a comment (``parent`` set: a reply) to live guide or article ``page_id``.

    Success, and a filled honeypot alike: a 303 back to the page's comments
    section, where the confirmation (and the reader's comment, pending) is
    shown. Invalid input: the form again with its errors and what was typed
    (400). Too many posts from the address: 429.
    """
    page = get_object_or_404(services.commentable_pages(), pk=page_id)
    form = CommentForm(request.POST, page=page)
    ip_address = client_ip(request)
    user = request.user if request.user.is_authenticated else None
    try:
        if form.honeypot_filled():
            services.check_rate_limit(ip_address)
            logger.info("Comment from %s on page %s dropped: honeypot filled", ip_address, page.pk)
            message = AWAITING_MODERATION + (" " + WILL_EMAIL if form.data.get("notify") else "")
            remember_posted(request, page, message, advice=[services.REMINDER])  # as a reader's post would look
            return redirect_to_comments(page, POSTED_ANCHOR)
        if form.is_valid():
            data = form.cleaned_data
            try:
                comment = services.post_comment(
                    page,
                    name=data["name"],
                    email=data["email"],
                    body=data["comment"],
                    parent=data["parent"],
                    user=user,
                    ip_address=ip_address,
                    notify=data["notify"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                advice = services.advice_for_reader(comment)
                if comment.status == CommentStatus.APPROVED:
                    message = PUBLISHED
                else:
                    held = " " + HELD if comment.held_concerns() else ""
                    message = AWAITING_MODERATION + held + (" " + WILL_EMAIL if comment.notify_author else "")
                remember_posted(request, page, message, comment, advice)
                return redirect_to_comments(page, POSTED_ANCHOR)
    except services.RateLimited as limited:
        return rate_limited(request, page, limited.retry_after)
    form.renew_timestamp()
    return render(
        request,
        "discussion/comment_form_page.html",
        {"comment_page": page, "form": form, "replying_to": form.reply_to},
        status=400,
    )


STOPPED = "Done: we will not e-mail you about this comment again."


@require_http_methods(["GET", "POST"])
def stop_notifications(request, token: str):
    """The link in every e-mail to an author: a page with a button (GET changes nothing), then the e-mails stop."""
    comment = services.comment_for_stop_token(token)
    if comment is None:
        return render(request, "discussion/stop_notifications.html", {"invalid": True}, status=404)
    stopped = not comment.notify_author
    if request.method == "POST" and not stopped:
        services.stop_notifications(comment)
        messages.success(request, STOPPED)
        stopped = True
    return render(request, "discussion/stop_notifications.html", {"comment_page": comment.page, "stopped": stopped})

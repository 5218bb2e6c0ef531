"""Template tags for the discussion under guides and articles.

    {% load discussion_tags %}
    {% comment_section page %}

renders the approved comments (20 threads a page, ``?comments=2`` for older
ones) and the form to add one; a reader who just posted sees the confirmation
there and their own comments that await moderation. ``?replyto=<id>`` turns the form into a reply
to that thread. ``{{ text|comment_body }}`` renders a plain-text body safely.
"""

from __future__ import annotations

from django import template
from django.utils.functional import SimpleLazyObject

from discussion import services
from discussion.forms import CommentForm
from discussion.text import render_body

register = template.Library()

PAGE_PARAMETER = "comments"
REPLY_PARAMETER = "replyto"


@register.filter
def comment_body(text: str):
    """A plain-text comment as safe HTML: escaped, line breaks kept, links marked nofollow ugc."""
    return render_body(text or "")


def _reply_target(threads, comment_id):
    """The thread shown on this page that a reply to ``comment_id`` joins (no extra query)."""
    try:
        comment_id = int(comment_id)
    except (TypeError, ValueError):
        return None
    for thread in threads:
        if thread.pk == comment_id or any(reply.pk == comment_id for reply in thread.approved_replies):
            return thread
    return None


@register.inclusion_tag("discussion/comment_section.html", takes_context=True)
def comment_section(context, page):
    """The comments section for ``page``: its approved threads, pagination and the comment form.

    Two SQL queries for the threads however many comments the page has (see
    ``services.comment_thread``), none while they are kept; signed-in readers find their name and e-mail
    filled in.
    """
    request = context.get("request")
    params = request.GET if request is not None else {}
    # Read when shown: the approved threads are kept per content version (``{% fragment %}``), replies aside.
    threads = SimpleLazyObject(lambda: services.comment_thread(page, params.get(PAGE_PARAMETER, 1)))
    reply_to = params.get(REPLY_PARAMETER)
    replying_to = _reply_target(threads.comments, reply_to) if reply_to else None
    initial = {"parent": replying_to.pk if replying_to else None}
    notice, advice, pending_mine = _posted(request, page)
    user = context.get("user") or getattr(request, "user", None)
    form_is_personal = user is not None and user.is_authenticated
    if form_is_personal:
        initial.update(name=user.get_full_name(), email=user.email)
    return {
        "page": page,
        "threads": threads,
        "form": CommentForm(page=page, initial=initial),
        "form_is_personal": form_is_personal,
        "replying_to": replying_to,
        "request": request,
        "posted_notice": notice,
        "posted_advice": advice,
        "pending_mine": pending_mine,
        "settings": context.get("settings"),
    }


def _posted(request, page):
    """The confirmation of what the reader just posted on ``page`` and the advice that goes with it (shown once), and
    their own comments on it that still await moderation (one query, only for a reader who posted in this
    session)."""
    from discussion.views import MINE_KEY, NOTICE_KEY

    session = getattr(request, "session", None)
    if session is None:
        return "", [], []
    notice = session.get(NOTICE_KEY)
    message, advice = "", []
    if isinstance(notice, dict) and notice.get("page") == page.pk:
        message = str(notice.get("message", ""))
        advice = [str(name) for name in notice.get("advice", [])]
        del session[NOTICE_KEY]
    mine = [pk for pk in session.get(MINE_KEY, []) if isinstance(pk, int)]
    return message, advice, services.pending_comments(page, mine) if mine else []

"""Template tags for the discussion under guides and articles.

    {% load discussion_tags %}
    {% comment_section page %}

renders the approved comments (20 threads a page, ``?comments=2`` for older
ones) and the form to add one. ``?replyto=<id>`` turns the form into a reply
to that thread. ``{{ text|comment_body }}`` renders a plain-text body safely.
"""

from __future__ import annotations

from django import template

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
    ``services.comment_thread``); signed-in readers find their name and e-mail
    filled in.
    """
    request = context.get("request")
    params = request.GET if request is not None else {}
    threads = services.comment_thread(page, params.get(PAGE_PARAMETER, 1))
    replying_to = _reply_target(threads.comments, params.get(REPLY_PARAMETER))
    initial = {"parent": replying_to.pk if replying_to else None}
    user = context.get("user") or getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        initial.update(name=user.get_full_name(), email=user.email)
    return {
        "page": page,
        "threads": threads,
        "form": CommentForm(page=page, initial=initial),
        "replying_to": replying_to,
        "request": request,
    }

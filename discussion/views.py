"""The one public endpoint: posting a comment or a reply to a guide or article."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from apothecary.core.ratelimit import client_ip
from discussion import services
from discussion.forms import CommentForm
from discussion.models import CommentStatus

logger = logging.getLogger(__name__)

AWAITING_MODERATION = "Thank you. Your comment is awaiting moderation and will appear once a moderator approves it."
PUBLISHED = "Your answer has been published."


def redirect_to_comments(page) -> HttpResponseRedirect:
    """A 303 "see other" back to the page's comments, so reloading does not post again."""
    response = HttpResponseRedirect(f"{page.url or '/'}#comments")
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


@require_POST
def post_comment(request, page_id: int):
    """Post a comment (``parent`` set: a reply) to live guide or article ``page_id``.

    Success, and a filled honeypot alike: a 303 back to the page's comments
    with a message. Invalid input: the form again with its errors and what
    was typed (400). Too many posts from the address: 429.
    """
    page = get_object_or_404(services.commentable_pages(), pk=page_id)
    form = CommentForm(request.POST, page=page)
    ip_address = client_ip(request)
    user = request.user if request.user.is_authenticated else None
    try:
        if form.honeypot_filled():
            services.check_rate_limit(ip_address)
            logger.info("Comment from %s on page %s dropped: honeypot filled", ip_address, page.pk)
            messages.success(request, AWAITING_MODERATION)
            return redirect_to_comments(page)
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
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                published = comment.status == CommentStatus.APPROVED
                messages.success(request, PUBLISHED if published else AWAITING_MODERATION)
                return redirect_to_comments(page)
    except services.RateLimited as limited:
        return rate_limited(request, page, limited.retry_after)
    form.renew_timestamp()
    return render(
        request,
        "discussion/comment_form_page.html",
        {"comment_page": page, "form": form, "replying_to": form.reply_to},
        status=400,
    )

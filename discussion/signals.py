"""A published comment saved or deleted (an edit in the admin, a pharmacist's answer) changes its page."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apothecary.core import freshness
from discussion.models import Comment, CommentStatus


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def published_comment_changed(sender, instance: Comment, raw=False, **kwargs) -> None:
    # A comment awaiting moderation is seen by no one: posting one leaves every cached page as it is.
    if not raw and instance.status == CommentStatus.APPROVED:
        freshness.content_changed("a published comment changed")

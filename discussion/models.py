"""Reader comments and questions under guides and articles.

A comment belongs to a page and is either top-level or a reply to a top-level
comment: threads are one level deep. Nothing is public until it is approved,
except answers from pharmacists, which ``services.post_comment`` approves at once.
A reader's comment in which ``discussion.triage`` finds a concern (an emergency, a side effect, a question
about a dose, stopping, pregnancy or mixing medicines) is held for a pharmacist, with why (``CommentConcern``).
The author's e-mail and IP address are kept for moderators and never shown. An author who opts in
(``notify_author``) is e-mailed when their comment is published and when a pharmacist answers it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator

from apothecary.core.text import refuse_invisible_characters

BODY_MAX_LENGTH = 3000


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting moderation"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"


class Concern(models.TextChoices):
    """Why a reader's comment is held for a pharmacist (``discussion.triage``), most urgent first."""

    EMERGENCY = "emergency", "Emergency"
    SIDE_EFFECT = "side_effect", "Reports a side effect"
    DOSE = "dose", "Asks about a dose"
    STOPPING = "stopping", "Asks about stopping"
    PREGNANCY = "pregnancy", "Pregnancy or breastfeeding"
    MIXING = "mixing", "Mixing medicines or alcohol"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=CommentStatus.APPROVED)

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)

    def for_page(self, page):
        return self.filter(page=page)


class Comment(models.Model):
    """A reader's comment or question, or a reply to one.

    Rules (``clean``): a reply belongs to the same page as the comment it
    answers, and a reply to a reply is attached to the top-level comment instead.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name="in reply to"
    )
    author_name = models.CharField("name", max_length=80, validators=[refuse_invisible_characters])
    author_email = models.EmailField("e-mail address", max_length=254, help_text="Never shown publicly.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField("comment", max_length=BODY_MAX_LENGTH, validators=[MaxLengthValidator(BODY_MAX_LENGTH)])
    status = models.CharField(max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    by_pharmacist = models.BooleanField(
        default=False, help_text="Written by a member of the Pharmacists group; shown with a badge."
    )
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True, help_text="Kept for spam control; never shown.")
    notify_author = models.BooleanField(
        "e-mail the author",
        default=False,
        help_text="The author asked to be e-mailed when this is published and when a pharmacist answers it.",
    )
    published_notice_sent_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the author was told this was published."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["page", "status", "created_at"], name="discussion_page_status_created"),
            # The admin's list (newest first, 50 at a time) and its menu count of comments awaiting moderation,
            # without reading every comment.
            models.Index(fields=["-created_at", "-id"], name="discussion_newest"),
            models.Index(fields=["status"], name="discussion_status"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.excerpt}"

    @property
    def excerpt(self) -> str:
        return Truncator(" ".join(self.body.split())).chars(60)

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    def clean(self) -> None:
        super().clean()
        if self.parent_id is None:
            return
        parent = self.parent
        if parent.parent_id is not None:
            # Threads are one level deep: answer the thread, not the reply.
            self.parent = parent = parent.parent
        if self.pk is not None and parent.pk == self.pk:
            raise ValidationError({"parent": "A comment cannot reply to itself."})
        if self.page_id is not None and parent.page_id != self.page_id:
            raise ValidationError({"parent": "A reply must be on the same page as the comment it answers."})
        if self.pk is not None and self.replies.exists():
            raise ValidationError({"parent": "This comment has replies of its own, so it cannot become a reply."})

    def held_concerns(self) -> list[CommentConcern]:
        """Why this comment is held for a pharmacist, most urgent first (from ``prefetch_related("concerns")`` when
        the listing loaded them)."""
        order = list(Concern.values)
        return sorted(self.concerns.all(), key=lambda held: order.index(held.concern))

    @property
    def is_urgent(self) -> bool:
        return any(held.concern == Concern.EMERGENCY for held in self.concerns.all())


class CommentConcern(models.Model):
    """A reason a reader's comment is held for a pharmacist, and the reader's words that gave it away.

    Written when the comment is posted (``services.post_comment``, from ``discussion.triage``): until a pharmacist
    publishes it, only a pharmacist may (``services.may_publish``).
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="concerns")
    concern = models.CharField(max_length=20, choices=Concern.choices)
    reason = models.CharField(max_length=200, help_text="The reader's words that gave it away.")

    class Meta:
        verbose_name = "reason held for a pharmacist"
        constraints = [models.UniqueConstraint(fields=["comment", "concern"], name="discussion_one_concern_each")]
        indexes = [models.Index(fields=["concern", "comment"], name="discussion_concern_comment")]

    def __str__(self) -> str:
        return f"{self.get_concern_display()} (“{self.reason}”)"

"""Business rules: posting, pharmacists, notifications, moderation, permissions, threads."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from wagtail.models import ModelLogEntry

from discussion import services
from discussion.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db


def post(page, **fields):
    """A comment posted and committed: the e-mails queued when it commits are sent."""
    values = {"name": "Alex", "email": "alex@example.com", "body": "Is it safe with ibuprofen?"}
    values.update(fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.post_comment(page, **values)


# -- where -------------------------------------------------------------------


def test_comments_go_only_on_page_types_that_accept_them(site_pages, medicine):
    assert {model.__name__ for model in services.commentable_page_models()} == {"MedicinePage", "ArticlePage"}
    assert services.commentable_pages().filter(pk=medicine.pk).exists()
    assert not services.commentable_pages().filter(pk=site_pages["home"].pk).exists()


# -- posting ------------------------------------------------------------------


def test_reader_comment_waits_for_moderation_and_moderators_are_emailed(medicine, moderator, mailoutbox):
    comment = post(medicine, ip_address="203.0.113.9")
    assert comment.status == CommentStatus.PENDING
    assert comment.by_pharmacist is False
    assert comment.ip_address == "203.0.113.9"
    to_moderators = [message for message in mailoutbox if "awaiting moderation" in message.subject]
    assert len(to_moderators) == 1
    message = to_moderators[0]
    assert message.to == ["mod@example.com"]
    assert "Baclofen" in message.subject
    assert "Is it safe with ibuprofen?" in message.body
    assert f"/admin/snippets/discussion/comment/edit/{comment.pk}/" in message.body
    assert "alex@example.com" not in message.body


def test_superusers_are_emailed_but_inactive_moderators_are_not(medicine, moderator, superuser, mailoutbox):
    moderator.is_active = False
    moderator.save()
    post(medicine)
    to_moderators = [message for message in mailoutbox if "awaiting moderation" in message.subject]
    assert sorted(address for message in to_moderators for address in message.to) == [superuser.email]


def test_pharmacist_answer_is_published_at_once_and_flagged(medicine, pharmacist, moderator, mailoutbox):
    comment = post(medicine, user=pharmacist)
    assert comment.status == CommentStatus.APPROVED
    assert comment.by_pharmacist is True
    assert comment.author == pharmacist
    assert mailoutbox == []  # nothing awaits moderation


def test_signed_in_reader_who_is_not_a_pharmacist_is_moderated(medicine, moderator):
    comment = post(medicine, user=moderator)
    assert comment.status == CommentStatus.PENDING
    assert comment.by_pharmacist is False
    assert comment.author == moderator


def test_reply_to_a_reply_attaches_to_the_top_level_comment(medicine, make_comment):
    top = make_comment("Top")
    reply = make_comment("Reply", parent=top)
    nested = post(medicine, parent=reply)
    assert nested.parent == top


def test_post_comment_enforces_body_rules(medicine, settings):
    settings.COMMENT_MAX_LINKS = 1
    with pytest.raises(ValidationError):
        post(medicine, body="x" * 3001)
    with pytest.raises(ValidationError):
        post(medicine, body="See https://a.example and https://b.example")
    assert not Comment.objects.exists()


def test_a_mail_failure_never_loses_the_comment(medicine, moderator, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    comment = post(medicine)
    assert Comment.objects.filter(pk=comment.pk, status=CommentStatus.PENDING).exists()


def test_a_queue_failure_never_loses_the_comment(medicine, moderator, monkeypatch):
    class BrokenQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue down")

    monkeypatch.setattr("discussion.tasks.send_moderation_notice", BrokenQueue())
    comment = post(medicine)
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_rate_limit_counts_posts_per_address(medicine, settings):
    settings.COMMENT_RATE_LIMIT = 2
    post(medicine, ip_address="198.51.100.1")
    post(medicine, ip_address="198.51.100.1")
    with pytest.raises(services.RateLimited) as limited:
        post(medicine, ip_address="198.51.100.1")
    assert limited.value.retry_after == settings.COMMENT_RATE_WINDOW
    post(medicine, ip_address="198.51.100.2")  # another address is not limited
    assert Comment.objects.count() == 3


def test_pharmacists_and_moderators_are_not_rate_limited(medicine, settings, pharmacist, superuser):
    settings.COMMENT_RATE_LIMIT = 1
    for _ in range(3):
        post(medicine, user=pharmacist, ip_address="198.51.100.3")
        post(medicine, user=superuser, ip_address="198.51.100.3")
    assert Comment.objects.count() == 6


def test_ipv6_addresses_are_limited_per_64_network():
    assert services.rate_limit_key("2001:db8::1") == services.rate_limit_key("2001:db8::ffff")
    assert services.rate_limit_key("2001:db8::1") != services.rate_limit_key("2001:db8:0:1::1")


# -- moderation -----------------------------------------------------------------


def test_approve_mark_spam_and_delete_are_logged(make_comment, superuser):
    first = make_comment("one", status=CommentStatus.PENDING)
    second = make_comment("two", status=CommentStatus.PENDING)

    assert services.approve([first, second], superuser) == 2
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.APPROVED}
    assert services.approve([first], superuser) == 0  # already approved: nothing to do

    assert services.mark_spam(Comment.objects.filter(pk=second.pk), superuser) == 1
    second.refresh_from_db()
    assert second.status == CommentStatus.SPAM

    assert services.delete([first], superuser) == 1
    assert not Comment.objects.filter(pk=first.pk).exists()

    actions = list(
        ModelLogEntry.objects.exclude(action__startswith="accounts.")  # the set-up's group changes
        .order_by("pk")
        .values_list("action", "object_id", "user_id")
    )
    assert actions == [
        ("discussion.approve", str(first.pk), superuser.pk),
        ("discussion.approve", str(second.pk), superuser.pk),
        ("discussion.spam", str(second.pk), superuser.pk),
        ("wagtail.delete", str(first.pk), superuser.pk),
    ]


def test_deleting_a_comment_deletes_its_replies(make_comment, superuser):
    top = make_comment("Top")
    make_comment("Reply", parent=top)
    assert services.delete([top], superuser) == 2
    assert not Comment.objects.exists()


def test_moderation_needs_the_comment_permissions(make_comment, db):
    from accounts.models import User

    comment = make_comment("x", status=CommentStatus.PENDING)
    reader = User.objects.create_user("reader@example.com", "pw")
    for action in (services.approve, services.mark_spam, services.delete):
        with pytest.raises(PermissionDenied):
            action([comment], reader)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_moderators_and_pharmacists_get_the_comment_permissions_once(moderator, pharmacist):
    from apothecary.core.roles import install_roles

    install_roles()
    groups = install_roles()
    for name in ("Moderators", "Pharmacists"):
        codenames = set(groups[name].permissions.values_list("codename", flat=True))
        assert {"access_admin", "add_comment", "change_comment", "delete_comment", "view_comment"} <= codenames
    assert Group.objects.filter(name="Moderators").count() == 1
    assert Permission.objects.filter(group__name="Moderators", codename="change_comment").count() == 1
    moderator = type(moderator).objects.get(pk=moderator.pk)  # fresh permission cache
    assert moderator.has_perm("discussion.change_comment")


# -- reading --------------------------------------------------------------------


def test_comment_thread_shows_approved_threads_newest_first_with_approved_replies(make_comment):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old = make_comment("old", created_at=now - timedelta(days=2))
    new = make_comment("new", created_at=now - timedelta(days=1))
    make_comment("pending", status=CommentStatus.PENDING)
    make_comment("spam", status=CommentStatus.SPAM)
    late_reply = make_comment("late reply", parent=old, created_at=now)
    early_reply = make_comment("early reply", parent=old, created_at=now - timedelta(hours=1))
    make_comment("pending reply", parent=old, status=CommentStatus.PENDING)

    thread = services.comment_thread(old.page, 1)
    assert thread.comments == [new, old]
    assert thread.comments[1].approved_replies == [early_reply, late_reply]
    assert thread.comments[0].approved_replies == []
    assert thread.has_older is False and thread.has_newer is False


def test_comment_thread_pages_by_20(make_comment):
    comments = [make_comment(f"c{n}") for n in range(41)]
    first = services.comment_thread(comments[0].page, 1)
    assert len(first.comments) == 20 and first.has_older and not first.has_newer
    third = services.comment_thread(comments[0].page, "3")
    assert third.comments == [comments[0]] and not third.has_older and third.has_newer
    assert services.comment_thread(comments[0].page, "nonsense").number == 1
    assert services.comment_thread(comments[0].page, -4).number == 1


def test_comment_thread_does_not_load_private_fields(make_comment):
    make_comment("x")
    thread = services.comment_thread(make_comment("y").page, 1)
    deferred = thread.comments[0].get_deferred_fields()
    assert {"author_email", "ip_address"} <= deferred

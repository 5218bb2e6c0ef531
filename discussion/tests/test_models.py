"""The Comment model's own rules: one-level threads, same-page replies, querysets."""

import pytest
from django.core.exceptions import ValidationError

from discussion.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db


def test_new_comment_is_pending_by_default(medicine):
    comment = Comment.objects.create(page=medicine, author_name="A", author_email="a@example.com", body="Hi")
    assert comment.status == CommentStatus.PENDING
    assert comment.by_pharmacist is False


def test_reply_to_a_reply_joins_the_top_level_thread(make_comment):
    top = make_comment("Top")
    reply = make_comment("Reply", parent=top)
    nested = Comment(page=top.page, parent=reply, author_name="B", author_email="b@example.com", body="Nested")
    nested.full_clean()
    assert nested.parent == top


def test_reply_must_be_on_the_same_page(make_comment, site_pages):
    top = make_comment("Top")
    other = Comment(page=site_pages["home"], parent=top, author_name="B", author_email="b@example.com", body="x")
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "parent" in error.value.message_dict


def test_comment_with_replies_cannot_become_a_reply(make_comment):
    first, second = make_comment("First"), make_comment("Second")
    make_comment("Reply to second", parent=second)
    second.parent = first
    with pytest.raises(ValidationError):
        second.full_clean()


def test_body_is_limited_to_3000_characters(medicine):
    comment = Comment(page=medicine, author_name="A", author_email="a@example.com", body="x" * 3001)
    with pytest.raises(ValidationError) as error:
        comment.full_clean()
    assert "body" in error.value.message_dict


def test_queryset_filters(make_comment, site_pages):
    approved = make_comment("ok")
    pending = make_comment("wait", status=CommentStatus.PENDING)
    make_comment("spam", status=CommentStatus.SPAM)
    elsewhere = make_comment("elsewhere", page=site_pages["home"])
    assert set(Comment.objects.approved()) == {approved, elsewhere}
    assert list(Comment.objects.pending()) == [pending]
    assert elsewhere not in Comment.objects.for_page(approved.page)
    assert Comment.objects.for_page(approved.page).count() == 3


def test_str_never_contains_the_email(make_comment):
    comment = make_comment("Hello there", author_email="secret.person@example.org")
    assert "secret.person" not in str(comment)

"""Fixtures for the discussion tests: a clean cache, readers, moderators and comments."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from discussion.forms import make_timestamp
from discussion.models import Comment, CommentStatus


@pytest.fixture(autouse=True)
def clear_cache():
    """Rate limits live in the cache: every test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderators_group(db):
    group, _ = Group.objects.get_or_create(name="Moderators")
    return group


@pytest.fixture
def moderator(moderators_group):
    from accounts.models import User

    user = User.objects.create_user("mod@example.com", "pw", first_name="Mo", last_name="Derator")
    user.groups.add(moderators_group)
    return user


@pytest.fixture
def make_comment(medicine):
    """Save a comment directly (no services), approved unless told otherwise."""

    def make(body="A comment.", *, page=None, status=CommentStatus.APPROVED, **fields):
        fields.setdefault("author_name", "Reader")
        fields.setdefault("author_email", "reader@example.com")
        return Comment.objects.create(page=page or medicine, body=body, status=status, **fields)

    return make


@pytest.fixture
def post_data(medicine):
    """The fields a browser sends from the comment form, with ``overrides``."""

    def data(page=None, **overrides):
        values = {
            "name": "Alex Reader",
            "email": "alex@example.com",
            "comment": "Does baclofen make you sleepy?",
            "parent": "",
            "website": "",
            "timestamp": make_timestamp((page or medicine).pk),
        }
        values.update(overrides)
        return values

    return data

"""Moderation in the Wagtail admin: the listing and the bulk actions, with permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from discussion.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db

LISTING = reverse("wagtailsnippets_discussion_comment:list")


def bulk_url(action, *comments):
    ids = "&".join(f"id={comment.pk}" for comment in comments)
    return f"/admin/bulk/discussion/comment/{action}/?{ids}&next={LISTING}"


@pytest.fixture
def editor_without_comment_rights(db, site_pages):
    """Can use the admin, but has no comment permissions."""
    from accounts.models import User

    user = User.objects.create_user("editor@example.com", "pw")
    group = Group.objects.create(name="Admin only")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group)
    return user


def test_listing_with_filters_search_and_pending_count(admin_client, make_comment):
    make_comment("Approved question about doses", author_name="Quinn")
    make_comment("Pending question about cramps", author_name="Robin", status=CommentStatus.PENDING)
    make_comment("Spammy spam", author_name="Bot", status=CommentStatus.SPAM)

    response = admin_client.get(LISTING)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Quinn", "Robin", "Bot", "Baclofen", "Awaiting moderation", "Comments (1)"):
        assert text in html

    pending = admin_client.get(LISTING, {"status": "pending"}).content.decode()
    assert "Robin" in pending and "Quinn" not in pending

    found = admin_client.get(LISTING, {"q": "cramps"}).content.decode()
    assert "Robin" in found and "Quinn" not in found

    by_name = admin_client.get(LISTING, {"q": "quinn"}).content.decode()
    assert "Quinn" in by_name and "Robin" not in by_name


def test_edit_view_opens(admin_client, make_comment):
    comment = make_comment("Edit me", status=CommentStatus.PENDING)
    response = admin_client.get(reverse("wagtailsnippets_discussion_comment:edit", args=[comment.pk]))
    assert response.status_code == 200
    assert "Edit me" in response.content.decode()


def test_bulk_approve_as_superuser(admin_client, make_comment, superuser):
    first = make_comment("one", status=CommentStatus.PENDING)
    second = make_comment("two", status=CommentStatus.SPAM)

    confirm = admin_client.get(bulk_url("approve", first, second))
    assert confirm.status_code == 200
    assert "Are you sure you want to approve these 2 comments?" in confirm.content.decode()

    response = admin_client.post(bulk_url("approve", first, second))
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.APPROVED}
    assert ModelLogEntry.objects.filter(action="discussion.approve", user=superuser).count() == 2


def test_bulk_mark_as_spam_as_superuser(admin_client, make_comment):
    comment = make_comment("buy now", status=CommentStatus.PENDING)
    response = admin_client.post(bulk_url("spam", comment))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SPAM
    assert ModelLogEntry.objects.filter(action="discussion.spam", object_id=str(comment.pk)).exists()


def test_bulk_delete_goes_through_the_service(admin_client, make_comment):
    comment = make_comment("delete me", status=CommentStatus.SPAM)
    assert admin_client.get(bulk_url("delete", comment)).status_code == 200
    response = admin_client.post(bulk_url("delete", comment))
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert ModelLogEntry.objects.filter(action="wagtail.delete", object_id=str(comment.pk)).exists()


@pytest.mark.parametrize("action", ["approve", "spam", "delete"])
def test_bulk_actions_are_refused_without_permission(client, make_comment, editor_without_comment_rights, action):
    comment = make_comment("still pending", status=CommentStatus.PENDING)
    client.force_login(editor_without_comment_rights)
    confirm = client.get(bulk_url(action, comment))
    assert confirm.status_code == 200
    assert "permission" in confirm.content.decode()
    client.post(bulk_url(action, comment))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert not ModelLogEntry.objects.exclude(action__startswith="accounts.").exists()  # set-up's group changes aside
    # Nor can they see the listing.
    assert client.get(LISTING).status_code in (302, 403)


def test_bulk_actions_need_admin_access(client, make_comment, db):
    from accounts.models import User

    comment = make_comment("pending", status=CommentStatus.PENDING)
    client.force_login(User.objects.create_user("reader@example.com", "pw"))
    response = client.post(bulk_url("approve", comment))
    assert response.status_code in (302, 403)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_moderators_can_approve_once_permissions_are_installed(client, make_comment, moderator, site_pages):
    from apothecary.core.roles import install_roles

    install_roles()
    comment = make_comment("pending", status=CommentStatus.PENDING)
    client.force_login(moderator)
    assert client.get(LISTING).status_code == 200
    client.post(bulk_url("approve", comment))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED


@pytest.mark.django_db
def test_comments_are_not_added_in_the_admin_and_status_is_changed_only_by_moderation(client, medicine):
    from accounts.models import User
    from discussion.models import Comment, CommentStatus

    client.force_login(User.objects.create_superuser("boss@example.com", "pw"))
    assert client.get("/admin/snippets/discussion/comment/add/").status_code in (302, 403)
    comment = Comment.objects.create(page=medicine, author_name="A", author_email="a@example.com", body="Hi")
    html = client.get(f"/admin/snippets/discussion/comment/edit/{comment.pk}/").content.decode()
    assert 'name="status"' not in html and 'name="page"' not in html
    assert comment.status == CommentStatus.PENDING

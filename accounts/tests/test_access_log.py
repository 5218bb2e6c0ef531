"""Who may do what is logged with what changed: a user's groups (from the admin's user screen, either side of the
relation, and a clear), permissions and staff flags, and a group's permissions, each with the acting user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts import audit
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def entries(instance, action):
    return list(
        ModelLogEntry.objects.for_instance(instance).filter(action=action).order_by("pk").values_list("data", "user")
    )


def edit_user(client, user, groups):
    """The admin's user screen, saved with these groups (the rest as it is)."""
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "password1": "",
        "password2": "",
        "is_active": "on",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [str(group.pk) for group in groups],
    }
    response = client.post(reverse("wagtailusers_users:edit", args=[user.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    return response


def test_adding_oneself_to_pharmacists_in_the_admin_is_logged_with_the_groups_added_and_removed(superuser):
    client = Client()
    client.force_login(superuser)
    pharmacists, editors = Group.objects.get(name="Pharmacists"), Group.objects.get(name="Editors")

    edit_user(client, superuser, groups=[pharmacists, editors])
    assert set(superuser.groups.values_list("name", flat=True)) == {"Pharmacists", "Editors"}
    assert entries(superuser, audit.GROUPS_CHANGED) == [
        ({"added": ["Editors", "Pharmacists"], "removed": []}, superuser.pk)
    ]

    edit_user(client, superuser, groups=[editors])
    assert entries(superuser, audit.GROUPS_CHANGED)[-1] == ({"added": [], "removed": ["Pharmacists"]}, superuser.pk)

    history = client.get(reverse("wagtailusers_users:history", args=[superuser.pk])).content.decode()
    assert "Groups: added Editors, Pharmacists" in history and "Groups: removed Pharmacists" in history


def test_every_path_to_a_group_is_logged(site_pages):
    user = make_user("sam@example.com")
    pharmacists = Group.objects.get(name="Pharmacists")
    pharmacists.user_set.add(user)  # from the group's side
    user.groups.clear()
    assert [data for data, _ in entries(user, audit.GROUPS_CHANGED)] == [
        {"added": ["Pharmacists"], "removed": []},
        {"added": [], "removed": ["Pharmacists"]},
    ]


def test_staff_flags_and_permissions_are_logged(site_pages):
    user = make_user("sam@example.com")
    user.is_superuser = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="dispense_order"))
    group = Group.objects.get(name="Editors")
    group.permissions.add(Permission.objects.get(codename="review_order"))

    assert entries(user, audit.FLAGS_CHANGED)[0][0] == {"changes": {"is_superuser": [False, True]}}
    assert entries(user, audit.USER_PERMISSIONS_CHANGED)[0][0] == {"added": ["orders.dispense_order"], "removed": []}
    assert entries(group, audit.GROUP_PERMISSIONS_CHANGED)[-1][0] == {"added": ["orders.review_order"], "removed": []}

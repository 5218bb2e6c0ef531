"""The staff groups and their permissions, installed in one place (``apothecary.core.roles.install_roles``)."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from apothecary.core import roles
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def codenames(group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_group_gets_what_the_table_names_and_installing_again_changes_nothing(site_pages):
    roles.install_roles(site_pages["home"])
    before = {name: codenames(Group.objects.get(name=name)) for name in roles.GROUP_PERMISSIONS}
    page_rights = GroupPagePermission.objects.count()
    roles.install_roles(site_pages["home"])

    for name, named in roles.GROUP_PERMISSIONS.items():
        assert set(named) <= before[name] == codenames(Group.objects.get(name=name))
    assert GroupPagePermission.objects.count() == page_rights
    assert Group.objects.filter(name__in=list(roles.GROUP_PERMISSIONS)).count() == len(roles.GROUP_PERMISSIONS)
    publish = GroupPagePermission.objects.filter(page=site_pages["home"], permission__codename="publish_page")
    assert {right.group.name for right in publish} == {roles.PHARMACISTS}


def test_what_each_role_may_do(site_pages):
    editor = make_user("editor@example.com", groups=[roles.EDITORS], is_staff=True)
    dispatcher = make_user("dispatch@example.com", groups=[roles.DISPATCH], is_staff=True)
    moderator = make_user("mod@example.com", groups=[roles.MODERATORS], is_staff=True)
    pharmacist = make_user("ph@example.com", groups=[roles.PHARMACISTS], is_staff=True)

    assert editor.has_perm("evidence.change_reference") and not editor.has_perm("orders.review_order")
    assert dispatcher.has_perm("orders.change_order") and not dispatcher.has_perm("orders.dispense_order")
    assert moderator.has_perm("discussion.change_comment") and not moderator.has_perm("catalogue.change_product")
    assert all(
        pharmacist.has_perm(name)
        for name in ("orders.dispense_order", "discussion.delete_comment", "wagtailadmin.access_admin")
    )


def test_a_permission_that_does_not_exist_is_an_error_not_a_gap(db):
    with pytest.raises(LookupError, match="orders.fly_order"):
        roles.permissions(["orders.view_order", "orders.fly_order"])
    assert len(roles.permissions(["orders.view_order"])) == 1
    assert Permission.objects.filter(codename="fly_order").count() == 0

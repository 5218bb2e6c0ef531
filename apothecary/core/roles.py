"""Who a person is to the pharmacy: the staff roles, by group name, and what each may do.

A pharmacist is an active member of the Pharmacists group; a superuser is not a
pharmacist unless they are in that group too. ``install_roles`` is the one place
that gives the groups their permissions.
"""

from __future__ import annotations

from django.db import transaction

PHARMACISTS = "Pharmacists"
EDITORS = "Editors"
MODERATORS = "Moderators"
DISPATCH = "Dispatch"

ADMIN = "wagtailadmin.access_admin"
COMMENTS = [f"discussion.{action}_comment" for action in ("add", "change", "delete", "view")]
EDITING = ["evidence.add_reference", "evidence.change_reference", "catalogue.add_product", "catalogue.change_product"]
SHIPPING = ["orders.view_order", "orders.change_order"]
SHIPPING += [f"orders.{action}_carrier" for action in ("add", "change", "view")]

# Model permissions ("app_label.codename") of each staff group. Named as strings, so the core imports no app.
GROUP_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: [ADMIN, *EDITING],
    PHARMACISTS: [
        ADMIN,
        *EDITING,
        "catalogue.delete_product",
        *COMMENTS,
        *SHIPPING,
        "orders.review_order",
        "orders.dispense_order",
        "prescriptions.view_prescription",
        "prescriptions.view_prescriptiondecision",
    ],
    MODERATORS: [ADMIN, *COMMENTS],
    DISPATCH: [ADMIN, *SHIPPING],
}
# Wagtail page permissions of each group, on the site's pages (from the page ``install_roles`` is given down).
PAGE_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: ["add_page", "change_page"],
    PHARMACISTS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


@transaction.atomic
def install_roles(root=None) -> dict:
    """Every staff group with its permissions, and its page permissions from the page ``root`` down. Idempotent.

    A permission named here that does not exist (an app renamed it) is an error, not a silent gap.
    """
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    groups = {}
    for name, named in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(named))
        if root is not None:
            for permission in permissions(f"wagtailcore.{codename}" for codename in PAGE_PERMISSIONS.get(name, ())):
                GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        groups[name] = group
    return groups


def permissions(names) -> list:
    """The permissions named "app_label.codename"; LookupError names any that does not exist."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    wanted = {tuple(name.split(".", 1)) for name in names}
    if not wanted:
        return []
    query = Q()
    for app_label, codename in wanted:
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query).select_related("content_type"))
    missing = wanted - {(permission.content_type.app_label, permission.codename) for permission in found}
    if missing:
        raise LookupError("No such permission: " + ", ".join(sorted(".".join(name) for name in missing)))
    return found


def is_pharmacist(user) -> bool:
    """True for a signed-in, active member of the Pharmacists group; when ``STAFF_TWO_FACTOR_REQUIRED`` is on, a
    visitor (``request.user``) counts only once their second factor is verified in this session."""
    from django.conf import settings

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_pharmacist():
        return False
    verified = getattr(user, "is_verified", None)  # set on request.user by django_otp's middleware
    return not (settings.STAFF_TWO_FACTOR_REQUIRED and verified is not None and not verified())

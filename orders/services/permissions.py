"""The staff groups of the pharmacy and what they may do with orders and prescriptions."""

from __future__ import annotations

from django.db import transaction


@transaction.atomic
def install_pharmacy_permissions() -> None:
    """Pharmacists review, dispense and manage orders and see prescriptions; Dispatch staff ship them. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    grants = {
        "Pharmacists": [
            "view_order",
            "change_order",
            "review_order",
            "dispense_order",
            "view_prescription",
            "view_prescriptiondecision",
        ],
        "Dispatch": ["view_order", "change_order"],
    }
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            admin_access,
            *Permission.objects.filter(content_type__app_label__in=["orders", "prescriptions"], codename__in=codenames),
        )

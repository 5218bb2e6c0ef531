"""Who may do what is logged with what changed: a user's groups, permissions and staff flags, and a group's
permissions, by whoever changed them (the admin's log context gives the acting user), on every path.

Entries appear in the admin's history of the user or group and in Reports → Site history.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.log_actions import log

GROUPS_CHANGED = "accounts.groups_changed"
USER_PERMISSIONS_CHANGED = "accounts.user_permissions_changed"
FLAGS_CHANGED = "accounts.flags_changed"
GROUP_PERMISSIONS_CHANGED = "accounts.group_permissions_changed"
FLAGS = ("is_active", "is_staff", "is_superuser")


def _names(model, pks) -> list[str]:
    if model is Permission:
        rows = Permission.objects.filter(pk__in=pks).select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows)
    return sorted(str(obj) for obj in model.objects.filter(pk__in=pks))


def _related_pks(through, instance, model) -> set[int]:
    """The pks of ``model`` rows linked to ``instance`` in the m2m table ``through`` (read before a clear)."""
    mine = next(f for f in through._meta.fields if f.is_relation and f.related_model is type(instance))
    theirs = next(f for f in through._meta.fields if f.is_relation and f.related_model is model and f is not mine)
    return set(through.objects.filter(**{mine.name: instance.pk}).values_list(theirs.attname, flat=True))


def _on_m2m(name: str):
    """A receiver that logs what the m2m field ``name`` gained or lost, from either side, clears included."""

    def receiver(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs):
        if action == "pre_clear":
            instance._m2m_cleared = _related_pks(sender, instance, model)
            return
        if action == "post_clear":
            action, pk_set = "post_remove", getattr(instance, "_m2m_cleared", set())
        if action not in ("post_add", "post_remove") or not pk_set:
            return
        if reverse:  # group.user_set.add(user): the change is the user's
            for owner in model.objects.filter(pk__in=pk_set):
                _log_change(owner, name, type(instance), {instance.pk}, action)
        else:
            _log_change(instance, name, model, pk_set, action)

    return receiver


def _log_change(owner, name: str, model, pks, action: str) -> None:
    if not pks:
        return
    names = _names(model, pks)
    data = {"added": names, "removed": []} if action == "post_add" else {"added": [], "removed": names}
    log_action = {
        "groups": GROUPS_CHANGED,
        "user_permissions": USER_PERMISSIONS_CHANGED,
        "permissions": GROUP_PERMISSIONS_CHANGED,
    }[name]
    log(instance=owner, action=log_action, data=data)


def remember_flags(sender, instance, **kwargs):
    instance._flags_before = sender.objects.filter(pk=instance.pk).values(*FLAGS).first() if instance.pk else None


def log_flag_changes(sender, instance, created: bool, **kwargs):
    before = getattr(instance, "_flags_before", None)
    if created or not before:
        return
    changes = {
        flag: [before[flag], getattr(instance, flag)] for flag in FLAGS if before[flag] != getattr(instance, flag)
    }
    if changes:
        log(instance=instance, action=FLAGS_CHANGED, data={"changes": changes})


def log_object_permission(sender, instance, **kwargs):
    """Wagtail's page and collection permissions of a group (the group screen's formsets)."""
    deleted = "created" not in kwargs
    if not deleted and not kwargs["created"]:
        return
    place = getattr(instance, "page", None) or getattr(instance, "collection", None)
    entry = f"{instance.permission.content_type.app_label}.{instance.permission.codename} on {place}"
    data = {"added": [], "removed": [entry]} if deleted else {"added": [entry], "removed": []}
    log(instance=instance.group, action=GROUP_PERMISSIONS_CHANGED, data=data)


def connect() -> None:
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    user_model = get_user_model()
    m2m_changed.connect(_on_m2m("groups"), sender=user_model.groups.through, weak=False)
    m2m_changed.connect(_on_m2m("user_permissions"), sender=user_model.user_permissions.through, weak=False)
    m2m_changed.connect(_on_m2m("permissions"), sender=Group.permissions.through, weak=False)
    pre_save.connect(remember_flags, sender=user_model, dispatch_uid="accounts.remember_flags")
    post_save.connect(log_flag_changes, sender=user_model, dispatch_uid="accounts.log_flag_changes")
    for model in (GroupPagePermission, GroupCollectionPermission):
        post_save.connect(log_object_permission, sender=model, weak=False)
        post_delete.connect(log_object_permission, sender=model, weak=False)

"""Admin plumbing shared by the apps: records that change only through their services."""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail.permission_policies import ModelPermissionPolicy


class LimitedPermissionPolicy(ModelPermissionPolicy):
    """A model's own permissions, with some actions refused to everyone (superusers included).

    ``refused`` names the actions nobody may take here; ``only``, when given, the
    only actions anyone may take.
    """

    def __init__(self, model, *, refused=(), only=None):
        super().__init__(model)
        self.refused = set(refused)
        self.only = set(only) if only is not None else None

    def allows(self, action: str) -> bool:
        return action not in self.refused and (self.only is None or action in self.only)

    def user_has_permission(self, user, action):
        return self.allows(action) and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class RecordViewSetMixin:
    """A model viewset with no add, edit, delete or usage screens; links to a record open its inspect screen."""

    removed_url_names = ("add_url_name", "edit_url_name", "delete_url_name", "usage_url_name")

    def get_common_view_kwargs(self, **kwargs):
        return {**super().get_common_view_kwargs(**kwargs), **dict.fromkeys(self.removed_url_names)}

    @cached_property
    def url_finder_class(self):
        base = super().url_finder_class
        return type(f"{self.model.__name__}AdminURLFinder", (base,), {"edit_url_name": self.get_url_name("inspect")})


class CountedMenuItemMixin:
    """A Wagtail menu item whose label says how many things wait, "Comments (3)"; none waiting, the plain label."""

    def waiting(self, request) -> int:
        raise NotImplementedError

    def render_component(self, request):
        component = super().render_component(request)
        waiting = self.waiting(request)
        if waiting:
            component.label = f"{self.label} ({waiting})"
        return component


def deletion_blockers(objects) -> list[str]:
    """What keeps ``objects`` from being deleted (rows that protect them, e.g. order lines), in words; [] when they
    can go. Asked before a delete, so the person sees why instead of an error page."""
    from django.db import router
    from django.db.models.deletion import Collector, ProtectedError, RestrictedError

    objects = list(objects)
    if not objects:
        return []
    collector = Collector(using=router.db_for_write(type(objects[0])))
    try:
        collector.collect(objects)
    except (ProtectedError, RestrictedError) as exc:
        blockers = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        kinds = sorted({f"{type(obj)._meta.verbose_name_plural}" for obj in blockers})
        return [f"{len(blockers)} record(s) still point at it ({', '.join(kinds)})"]
    return []

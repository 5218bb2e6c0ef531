"""Admin plumbing shared by the apps: records that change only through their services; pages created once."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.models import get_all_child_relations
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
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


def page_created_a_moment_ago(parent, page_class, user, slug: str, title: str, minutes: int = 10):
    """The page a second "create" of the same new page means: a page of ``page_class`` under ``parent`` that
    ``user`` created in the last ``minutes`` (its owner, its only author, never published), with the posted slug
    (or, when the slug was left empty, the posted title). None when there is no such page.

    An autosave creates the page while the editor is still on the create screen; a "Save draft" or "Submit" sent
    before the screen has switched to editing posts the same page again."""
    if not (slug or title) or not user.is_authenticated:
        return None
    since = timezone.now() - timedelta(minutes=minutes)
    candidates = page_class.objects.child_of(parent).filter(
        owner=user, first_published_at__isnull=True, latest_revision_created_at__gte=since
    )
    candidates = candidates.filter(slug=slug) if slug else candidates.filter(title=title)
    for page in candidates.order_by("-pk")[:1]:
        if not page.revisions.exclude(user=user).exists():
            return page
    return None


class CreateOnceView(CreateView):
    """Wagtail's page create view, idempotent: a create posted again for a page the same editor created a moment
    ago (``page_created_a_moment_ago``) saves onto that page, as its edit screen would, instead of answering "this
    slug is already in use" or, when the two saves overlap, failing with a server error."""

    def post(self, request):
        earlier = self.earlier_page()
        if earlier is not None:
            return self.save_onto(earlier)
        try:
            return super().post(request)
        except (ValidationError, IntegrityError):  # the other save created the page after this form was checked
            earlier = self.earlier_page()
            if earlier is None:
                raise
            return self.save_onto(earlier)

    def earlier_page(self):
        post = self.request.POST
        slug, title = post.get("slug", "").strip(), post.get("title", "").strip()
        return page_created_a_moment_ago(self.parent_page, self.page_class, self.request.user, slug, title)

    def save_onto(self, page):
        return SaveCreateFormView.as_view()(self.request, page_id=page.pk)


class SaveCreateFormView(EditView):
    """The edit view, for a create form posted onto the page it created: that form's rows carry no ids, so the
    page's rows are replaced by the posted ones (the edit view would otherwise keep them and add the posted
    ones beside them)."""

    def post(self, request, *args, **kwargs):
        for relation in get_all_child_relations(self.page):
            name = relation.get_accessor_name()
            if name in self.form_class.formsets:
                setattr(self.page, name, [])
        return super().post(request, *args, **kwargs)

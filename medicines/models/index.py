"""The A–Z index of medicine guides ("/medicines/")."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.db.models.functions import Substr, Upper
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from medicines.models.guide import MedicinePage


class MedicineIndexPage(Page):
    """The A–Z index of medicine guides ("/medicines/")."""

    intro = models.TextField(blank=True)
    per_page = 50

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["medicines.MedicinePage"]
    max_count = 1

    def get_medicines(self):
        return MedicinePage.objects.live().public().child_of(self).select_related("drug_class").order_by("title")

    def get_letters(self) -> list[str]:
        """The initial letters that have at least one guide."""
        initials = self.get_medicines().order_by().annotate(initial=Upper(Substr("title", 1, 1)))
        return sorted(initials.values_list("initial", flat=True).distinct())

    def get_context(self, request, *args, **kwargs):
        """One letter of the index at a time, so the page stays small however many guides there are."""
        context = super().get_context(request, *args, **kwargs)
        letters = self.get_letters()
        letter = request.GET.get("letter", "").upper()[:1]
        if letter not in letters:
            letter = letters[0] if letters else ""
        context.update(
            letters=letters,
            letter=letter,
            medicines=Paginator(
                self.get_medicines().filter(title__istartswith=letter) if letter else MedicinePage.objects.none(),
                self.per_page,
            ).get_page(request.GET.get("page")),
        )
        return context

    def route(self, request, path_components):
        # A guide is a leaf: fetch it as its own type in one query instead of
        # Page's two (generic child, then .specific).
        if len(path_components) == 1:
            from django.http import Http404
            from wagtail.url_routing import RouteResult

            try:
                guide = (
                    MedicinePage.objects.child_of(self)
                    .select_related("drug_class", "reviewed_by")
                    .get(slug=path_components[0])
                )
            except MedicinePage.DoesNotExist:
                raise Http404 from None
            if guide.live:
                return RouteResult(guide)
            raise Http404
        return super().route(request, path_components)

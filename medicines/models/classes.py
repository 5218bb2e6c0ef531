"""Drug classes: the index of classes ("/classes/") and each class with the guides in it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from medicines.models.guide import MedicinePage


class DrugClassIndexPage(Page):
    """Lists the drug classes ("/classes/")."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["medicines.DrugClassPage"]
    max_count = 1

    def get_classes(self):
        return (
            DrugClassPage.objects.live()
            .public()
            .child_of(self)
            .annotate(medicine_count=models.Count("medicines", filter=models.Q(medicines__live=True)))
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["classes"] = self.get_classes()
        return context


class DrugClassPage(Page):
    """A drug class ("Skeletal muscle relaxants") and the guides in it."""

    description = models.TextField(help_text="One or two sentences for readers: what the medicines in this class do.")

    content_panels = Page.content_panels + [FieldPanel("description")]
    search_fields = Page.search_fields + [index.SearchField("description")]
    parent_page_types = ["medicines.DrugClassIndexPage"]
    subpage_types: list[str] = []

    per_page = 24

    def get_medicines(self):
        return MedicinePage.objects.live().public().filter(drug_class=self).order_by("title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["medicines"] = Paginator(self.get_medicines(), self.per_page).get_page(request.GET.get("page"))
        return context

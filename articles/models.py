"""Articles (news and explainers), tags, and "see also"."""

from __future__ import annotations

from collections import Counter

from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from articles.blocks import ArticleBodyBlock
from evidence.forms import CitingPageForm
from evidence.models import ReferenceListEntry
from evidence.panels import AuditPanel


class ArticleIndexPage(Page):
    """Lists articles, newest first, a page at a time ("/articles/")."""

    intro = models.TextField(blank=True)
    per_page = 10

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    max_count = 1

    def get_articles(self):
        return ArticlePage.objects.live().public().child_of(self).order_by("-first_published_at", "-pk")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = Paginator(self.get_articles(), self.per_page).get_page(request.GET.get("page"))
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(Page):
    """An article: a StreamField body with cited quotes and tables, tags and see also."""

    summary = models.TextField(help_text="One or two sentences shown in listings.")
    body = StreamField(ArticleBodyBlock())
    author_name = models.CharField(max_length=120, blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    imported_from = models.CharField(
        max_length=500, blank=True, help_text="The file or address the article was imported from, if it was."
    )
    imported_tags = models.TextField(
        blank=True,
        help_text=(
            "The tags exactly as the imported article gave them, repeats included: the content audit reads these "
            "instead of the tags above while they are here, and reports a tag given twice. Clear this field once "
            "the tags above are right."
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("tag_text"),
    ]
    content_panels = Page.content_panels + [
        AuditPanel(),
        FieldPanel("summary"),
        FieldPanel("author_name"),
        FieldPanel("body"),
        InlinePanel("article_references", heading="References", label="Reference"),
        FieldPanel("tags"),
        MultiFieldPanel([InlinePanel("see_also_links", label="Link")], heading="See also (picked by an editor)"),
        MultiFieldPanel(
            [FieldPanel("imported_from", read_only=True), FieldPanel("imported_tags")],
            heading="Imported article",
            classname="collapsed",
        ),
    ]
    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types: list[str] = []
    accepts_comments = True  # readers discuss it (``discussion``)
    base_form_class = CitingPageForm

    def tag_text(self) -> str:
        return " ".join(tag.name for tag in self.tags.all())

    @cached_property
    def numbered_references(self) -> list[ArticleReference]:
        return ArticleReference.numbered(self.article_references)

    def cited_reference_ids(self) -> list[int]:
        """The references the body's quotes and tables cite, in the body's order."""
        return [
            getattr(block.value.get("reference"), "pk", None)
            for block in self.body
            if block.block_type in ("quote", "table")
        ]

    def list_cited_references(self) -> list[int]:
        """Adds each reference a quote or table cites and the reference list lacks at the end of the list."""
        return ArticleReference.list_missing(self.article_references, self.cited_reference_ids())

    def audit_content(self):
        """What the content audit (``evidence.audit``) checks: the summary; the body's headings, and its paragraphs,
        list items, callouts, quotes and table rows, each placed in its section (“Body, “6. Side effects” ›
        “Common”, list item 2”); the reference list; and the tags (as imported, repeats included, until an editor
        clears ``imported_tags``)."""
        from evidence.audit import AuditUnit, PageContent, paragraphs, rich_text_parts

        units = [AuditUnit("text", "Summary", text) for text in paragraphs(self.summary)]
        places = BodyPlaces()
        for block in self.body:
            value = block.value
            if block.block_type == "heading":
                places.enter(value.get("text") or "", value.get("level"))
                units.append(AuditUnit("heading", places.here, value.get("text") or "", extra={"level": places.level}))
            elif block.block_type == "paragraph":
                for kind, text in rich_text_parts(str(value)):
                    units.append(AuditUnit("text", places.next(kind), text))
            elif block.block_type == "callout":
                title = value.get("title") or "untitled"
                for text in paragraphs(str(value.get("text") or "")):
                    units.append(AuditUnit("text", f"{places.here}, callout “{title}”", text))
            elif block.block_type == "quote":
                units.append(
                    AuditUnit(
                        "quote",
                        places.next("quote"),
                        str(value.get("quote") or ""),
                        value.get("reference"),
                        extra={"attribution": value.get("attribution") or ""},
                    )
                )
            elif block.block_type == "table":
                table = value.get("table") or {}
                rows = [[str(cell or "").strip() for cell in row] for row in table.get("data") or []]
                if table.get("first_row_is_table_header") and rows:
                    rows = rows[1:]
                place = places.table(value.get("caption") or "")
                for number, cells in enumerate(rows, start=1):
                    if not any(cells):
                        continue
                    units.append(
                        AuditUnit(
                            "table_row",
                            f"{place}, row {number} ({cells[0]})",
                            " | ".join(cells),
                            value.get("reference"),
                            extra={"label": cells[0]},
                        )
                    )
        imported_tags = [tag.strip() for tag in self.imported_tags.split(",") if tag.strip()]
        return PageContent(
            title=self.title,
            units=units,
            references=[row.reference for row in self.numbered_references],
            tags=imported_tags or [tag.name for tag in self.tags.all()],
        )

    def get_context(self, request, *args, **kwargs):
        """The references, tags and trail, each read when the template first uses it: an article kept by the
        fragment cache (apothecary/core/fragments.py) reads none of them."""
        context = super().get_context(request, *args, **kwargs)
        context.update(
            references=SimpleLazyObject(lambda: self.numbered_references),
            ref_numbers=SimpleLazyObject(lambda: {row.reference_id: row.number for row in self.numbered_references}),
            tags=SimpleLazyObject(lambda: list(self.tags.all())),
            breadcrumbs=SimpleLazyObject(lambda: [("Articles", self.get_parent().url)]),
        )
        return context


class BodyPlaces:
    """Says where a block of an article's body is, for the content audit: the section (``h2``) and sub-section
    (``h3``) it is in, and its number among the paragraphs, list items, quotes or tables there."""

    def __init__(self):
        self.section = ""
        self.subsection = ""
        self.level = 2
        self.counts: Counter[str] = Counter()

    def enter(self, heading: str, level: str | None) -> None:
        """A heading starts a new section (``h2``) or sub-section (``h3``); numbering starts again."""
        if level == "h3" and self.section:
            self.subsection, self.level = heading, 3
        else:
            self.section, self.subsection, self.level = heading, "", 2 if level != "h3" else 3
        self.counts = Counter()

    @property
    def here(self) -> str:
        """“Body, “6. Side effects” › “Common side effects””, or “Body” before any heading."""
        headings = [f"“{heading}”" for heading in (self.section, self.subsection) if heading]
        return ", ".join(["Body", " › ".join(headings)]) if headings else "Body"

    def next(self, kind: str) -> str:
        """The place of the next ``kind`` ("paragraph", "list item", "quote") in this section."""
        self.counts[kind] += 1
        return f"{self.here}, {kind} {self.counts[kind]}"

    def table(self, caption: str) -> str:
        """A table named by its caption, or by its number when the caption only repeats the section's heading."""
        self.counts["table"] += 1
        if caption and caption != (self.subsection or self.section):
            return f"{self.here}, table “{caption}”"
        return f"{self.here}, table {self.counts['table']}"


class ArticleSeeAlsoLink(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="see_also_links")
    linked_page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("linked_page")]


class ArticleReference(ReferenceListEntry):
    """An article's numbered reference list: the order here gives the numbers."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_references")

    class Meta(ReferenceListEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "reference"], name="unique_article_reference")]

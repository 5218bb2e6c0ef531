"""Articles (news and explainers), tags, and "see also"."""

from __future__ import annotations

from django.db import models
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from articles.blocks import ArticleBodyBlock
from evidence.models import ReferenceListEntry


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

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("tag_text"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("author_name"),
        FieldPanel("body"),
        InlinePanel("article_references", heading="References", label="Reference"),
        FieldPanel("tags"),
        MultiFieldPanel([InlinePanel("see_also_links", label="Link")], heading="See also (picked by an editor)"),
    ]
    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types: list[str] = []

    def tag_text(self) -> str:
        return " ".join(tag.name for tag in self.tags.all())

    @cached_property
    def numbered_references(self) -> list[ArticleReference]:
        return ArticleReference.numbered(self.article_references)

    def audit_content(self):
        """What the content audit (``evidence.audit``) checks: the summary, the body's paragraphs, callouts,
        quotes and table rows with their sources, the reference list and the tags."""
        from evidence.audit import AuditUnit, PageContent, paragraphs

        units = [AuditUnit("text", "Summary", text) for text in paragraphs(self.summary)]
        paragraph_number = 0
        for block in self.body:
            value = block.value
            if block.block_type == "paragraph":
                for text in paragraphs(str(value)):
                    paragraph_number += 1
                    units.append(AuditUnit("text", f"Body, paragraph {paragraph_number}", text))
            elif block.block_type == "callout":
                title = value.get("title") or "untitled"
                for text in paragraphs(str(value.get("text") or "")):
                    units.append(AuditUnit("text", f"Body, callout “{title}”", text))
            elif block.block_type == "quote":
                units.append(AuditUnit("quote", "Body, quote", str(value.get("quote") or ""), value.get("reference")))
            elif block.block_type == "table":
                table = value.get("table") or {}
                rows = [[str(cell or "").strip() for cell in row] for row in table.get("data") or []]
                if table.get("first_row_is_table_header") and rows:
                    rows = rows[1:]
                for number, cells in enumerate(rows, start=1):
                    if not any(cells):
                        continue
                    units.append(
                        AuditUnit(
                            "table_row",
                            f"Body, table “{value.get('caption')}”, row {number} ({cells[0]})",
                            " | ".join(cells),
                            value.get("reference"),
                            extra={"label": cells[0]},
                        )
                    )
        return PageContent(
            title=self.title,
            units=units,
            references=[row.reference for row in self.numbered_references],
            tags=[tag.name for tag in self.tags.all()],
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        references = self.numbered_references
        context.update(
            references=references,
            ref_numbers={row.reference_id: row.number for row in references},
            tags=list(self.tags.all()),
            breadcrumbs=[("Articles", self.get_parent().url)],
        )
        return context


class ArticleSeeAlsoLink(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="see_also_links")
    linked_page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("linked_page")]


class ArticleReference(ReferenceListEntry):
    """An article's numbered reference list: the order here gives the numbers."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_references")

    class Meta(ReferenceListEntry.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "reference"], name="unique_article_reference")]

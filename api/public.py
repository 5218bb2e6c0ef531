"""The public, read-only API: published guides, drug classes, articles, search, and active products.

Only live, public pages are read (``.live().public()``), and only active
products of such guides; a draft, an unpublished page or an inactive product
answers 404 as if it did not exist.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from api import representations as represent
from api.errors import Error
from api.pagination import PageQuery, page_of
from api.schemas import (
    ArticleDetail,
    ArticleList,
    DrugClassDetail,
    DrugClassList,
    MedicineDetail,
    MedicineList,
    ProductList,
    ProductOut,
    SearchResults,
)
from articles.models import ArticlePage
from catalogue.models import DosageForm, Product
from home import services as search_services
from medicines.models import DrugClassIndexPage, DrugClassPage, LegalStatus, MedicinePage

router = Router(tags=["public"])

SLUG = r"^[-\w]+$"
READ_ERRORS = {404: Error, 422: Error, 429: Error}
MAX_CLASS_MEDICINES = 100


def slug_path():
    """A page's slug in the path: letters, digits, hyphens and underscores (anything else is a 422)."""
    return Path(..., pattern=SLUG, max_length=255, description="The page's slug, as in its web address.")


def slug_filter(description: str):
    """An optional slug in the query string."""
    return Field(None, pattern=SLUG, max_length=255, description=description)


def published_medicines():
    """Live guides that are not behind a privacy restriction."""
    return MedicinePage.objects.live().public()


def published_products():
    """Active products of published guides."""
    return Product.objects.published()


# ---------------------------------------------------------------------------
# Medicines


class MedicineFilters(Schema):
    drug_class: str | None = Field(
        None, alias="class", pattern=SLUG, max_length=255, description="A drug class's slug."
    )
    legal_status: LegalStatus | None = None
    tag: str | None = slug_filter("A tag's slug.")


@router.get("/medicines", response={200: MedicineList, **READ_ERRORS}, url_name="medicines")
def list_medicines(request, filters: Query[MedicineFilters], paging: Query[PageQuery]):
    """Published medicine guides, alphabetically, filtered by drug class, legal status or tag."""
    guides = published_medicines().select_related("drug_class").prefetch_related("tags").order_by("title", "pk")
    if filters.drug_class:
        guides = guides.filter(drug_class__slug=filters.drug_class)
    if filters.legal_status:
        guides = guides.filter(legal_status=filters.legal_status)
    if filters.tag:
        guides = guides.filter(pk__in=published_medicines().filter(tags__slug=filters.tag).values("pk"))
    return page_of(guides, paging, lambda rows: [represent.medicine_summary(request, row) for row in rows])


@router.get("/medicines/{slug}", response={200: MedicineDetail, **READ_ERRORS}, url_name="medicine")
def get_medicine(request, slug: str = slug_path()):
    """A published guide whole: its structured sections, numbered references, review and products with packs."""
    guide = get_object_or_404(
        published_medicines().select_related("drug_class", "reviewed_by").prefetch_related("tags"), slug=slug
    )
    products = represent.with_packs(Product.objects.published().for_medicine(guide)).order_by("form", "strength")
    return represent.medicine_detail(request, guide, products)


# ---------------------------------------------------------------------------
# Products


class ProductFilters(Schema):
    medicine: str | None = slug_filter("A medicine guide's slug.")
    form: DosageForm | None = None
    in_stock: bool | None = Field(None, description="true: at least one pack in stock; false: none.")


@router.get("/products", response={200: ProductList, **READ_ERRORS}, url_name="products")
def list_products(request, filters: Query[ProductFilters], paging: Query[PageQuery]):
    """Active products of published guides with their packs, prices per pack and per unit, and stock."""
    products = represent.with_packs(published_products()).order_by("medicine__title", "form", "strength", "pk")
    if filters.medicine:
        products = products.filter(medicine__slug=filters.medicine)
    if filters.form:
        products = products.filter(form=filters.form)
    if filters.in_stock is not None:
        stocked = Q(pk__in=Product.objects.filter(packs__stock__gt=0).values("pk"))
        products = products.filter(stocked) if filters.in_stock else products.exclude(stocked)
    return page_of(products, paging, lambda rows: [represent.product(request, row) for row in rows])


@router.get("/products/{product_id}", response={200: ProductOut, **READ_ERRORS}, url_name="product")
def get_product(request, product_id: int = Path(..., ge=1, le=2**63 - 1)):
    """One active product of a published guide, with its packs."""
    return represent.product(request, get_object_or_404(represent.with_packs(published_products()), pk=product_id))


# ---------------------------------------------------------------------------
# Drug classes


def published_classes():
    """Published drug classes with the number of their published guides (the index page's own listing)."""
    index = DrugClassIndexPage.objects.live().first()
    return index.get_classes() if index is not None else DrugClassPage.objects.none()


@router.get("/classes", response={200: DrugClassList, **READ_ERRORS}, url_name="drug_classes")
def list_classes(request, paging: Query[PageQuery]):
    """Published drug classes, alphabetically, with how many published guides each has."""
    classes = published_classes().order_by("title", "pk")
    return page_of(classes, paging, lambda rows: [represent.drug_class(request, row) for row in rows])


@router.get("/classes/{slug}", response={200: DrugClassDetail, **READ_ERRORS}, url_name="drug_class")
def get_class(request, slug: str = slug_path()):
    """A published drug class and its published guides (the first 100; page through /medicines?class= for all)."""
    drug_class = get_object_or_404(published_classes(), slug=slug)
    guides = drug_class.get_medicines().select_related("drug_class").prefetch_related("tags")
    return {
        **represent.drug_class(request, drug_class),
        "medicines": [represent.medicine_summary(request, row) for row in guides[:MAX_CLASS_MEDICINES]],
    }


# ---------------------------------------------------------------------------
# Articles


class ArticleFilters(Schema):
    tag: str | None = slug_filter("A tag's slug.")


def published_articles():
    """Live articles that are not behind a privacy restriction."""
    return ArticlePage.objects.live().public()


@router.get("/articles", response={200: ArticleList, **READ_ERRORS}, url_name="articles")
def list_articles(request, filters: Query[ArticleFilters], paging: Query[PageQuery]):
    """Published articles, newest first."""
    articles = published_articles().prefetch_related("tags").order_by("-first_published_at", "-pk")
    if filters.tag:
        articles = articles.filter(pk__in=published_articles().filter(tags__slug=filters.tag).values("pk"))
    return page_of(articles, paging, lambda rows: [represent.article_summary(request, row) for row in rows])


@router.get("/articles/{slug}", response={200: ArticleDetail, **READ_ERRORS}, url_name="article", exclude_unset=True)
def get_article(request, slug: str = slug_path()):
    """A published article: its body as blocks (rich text sanitised), its numbered references and tags."""
    article = get_object_or_404(published_articles().prefetch_related("tags"), slug=slug)
    chosen = [
        block.value["medicine"].pk
        for block in article.body
        if block.block_type == "product_box" and block.value.get("medicine") is not None
    ]
    live_medicines = published_medicines().in_bulk(chosen) if chosen else {}
    return represent.article_detail(request, article, live_medicines)


# ---------------------------------------------------------------------------
# Search


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=search_services.MAX_QUERY_LENGTH, description="Words to look for.")


@router.get("/search", response={200: SearchResults, **READ_ERRORS}, url_name="search")
def search(request, query: Query[SearchQuery], paging: Query[PageQuery]):
    """Published guides and articles matching ``q`` (names, brands, conditions, text), best first."""
    words = search_services.clean_query(query.q)
    results = search_services.search_pages(words) if words else []
    return page_of(
        results,
        paging,
        lambda rows: [represent.search_result(request, row) for row in search_services.specific_results(rows)],
    )

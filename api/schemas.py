"""The shapes of the API's answers and requests (they make the OpenAPI document).

Each answer's fields are declared here only: ``api.representations`` fills a schema's fields
from the object by name (``representations.fields``) and names only what it computes.

Money is a string with two decimals and its ISO 4217 currency ("15.30", "USD"),
never a float; percentages are strings too ("10", "0.5"). HTML fields hold
editor-written rich text, sanitised with nh3.
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import field_validator, model_validator

from api.pagination import paged
from catalogue.pricing import MAX_STOCK, parse_price, parse_stock

DECIMAL_PATTERN = r"^\d{1,10}(\.\d{1,2})?$"


class Choice(Schema):
    """A coded value and its label for readers: {"code": "prescription", "label": "Prescription only"}."""

    code: str
    label: str


class Link(Schema):
    slug: str
    title: str
    api_url: str
    url: str | None = Field(description="The page on the website.")


# ---------------------------------------------------------------------------
# Catalogue


class Money(Schema):
    amount: str = Field(description="Decimal, two places, e.g. “15.30”.")
    currency: str = Field(description="ISO 4217, e.g. USD.")
    formatted: str = Field(description="For display in the pharmacy's locale, e.g. “$15.30”.")


class UnitPrice(Money):
    unit: str = Field(description="What one unit is: tablet, capsule, packet, mL.")


class PackOut(Schema):
    sku: str
    ndc: str
    units: int
    size: str = Field(description="e.g. “30 tablets”.")
    price: Money
    unit_price: UnitPrice
    stock: int = Field(description="Packs on the shelf.")
    in_stock: bool
    availability: str = Field(description="in_stock or out_of_stock.")


class ProductOut(Schema):
    id: int
    api_url: str
    name: str
    medicine: Link
    form: Choice
    strength: str
    manufacturer: str
    ndc_product_code: str
    rxnorm_code: str
    requires_prescription: bool
    in_stock: bool
    packs: list[PackOut]


# ---------------------------------------------------------------------------
# References


class ReferenceOut(Schema):
    number: int = Field(description="The number the text cites it by: [1], [2]…")
    kind: Choice
    authors: str
    title: str
    container: str = Field(description="Journal or site.")
    year: int | None
    volume: str
    pages: str
    doi: str
    pmid: str
    url: str
    link: str = Field(description="The best address for a reader: the DOI resolver, PubMed, or the URL.")
    vancouver: str = Field(description="The reference in Vancouver style, as plain text.")
    verification: Choice = Field(description="What checking the DOI or PMID against Crossref or PubMed found.")
    verified_at: datetime | None


# ---------------------------------------------------------------------------
# Drug classes and medicines


class DrugClassOut(Schema):
    slug: str
    title: str
    description: str
    medicine_count: int
    api_url: str
    url: str | None


class MedicineSummary(Schema):
    slug: str
    title: str
    api_url: str
    url: str | None
    generic_name: str
    brand_names: list[str]
    active_ingredients: list[str]
    drug_class: Link | None = Field(None, description="Absent while the class is not published.")
    legal_status: Choice
    controlled_schedule: str
    requires_prescription: bool
    summary: str
    tags: list[str]
    last_reviewed: date | None
    last_published_at: datetime | None


class DrugClassDetail(DrugClassOut):
    medicines: list[MedicineSummary] = Field(description="Its medicines, alphabetically (the first 100).")


class IndicationOut(Schema):
    condition: str
    detail: str
    reference: int | None = Field(description="The number of the reference it cites.")


class SideEffectOut(Schema):
    effect: str
    frequency: Choice
    percent_low: str | None
    percent_high: str | None
    percent_range: str = Field(description="e.g. “10–63%”; empty when the source gives no figure.")
    note: str
    reference: int | None


class InteractionOut(Schema):
    substance: str
    severity: Choice
    effect: str
    reference: int | None


class OffLabelUseOut(Schema):
    condition: str
    evidence_strength: Choice
    summary: str
    reference: int | None


class StudyOut(Schema):
    citation: str
    participants: int | None
    design: str
    finding: str
    reference: int | None


class ReviewOut(Schema):
    reviewed_by: str | None = Field(description="The reviewing pharmacist's name and credentials.")
    last_reviewed: date | None
    next_review_due: date | None
    overdue: bool


class MedicineDetail(MedicineSummary):
    how_it_works_html: str
    how_to_take_html: str
    boxed_warning: str
    warnings_html: str
    pregnancy: str
    breastfeeding: str
    indications: list[IndicationOut]
    side_effects: list[SideEffectOut]
    interactions: list[InteractionOut]
    off_label_uses: list[OffLabelUseOut]
    studies: list[StudyOut]
    review: ReviewOut
    references: list[ReferenceOut]
    products: list[ProductOut]


# ---------------------------------------------------------------------------
# Articles


class ArticleSummary(Schema):
    slug: str
    title: str
    api_url: str
    url: str | None
    summary: str
    author_name: str
    tags: list[str]
    first_published_at: datetime | None
    last_published_at: datetime | None


class ArticleBlock(Schema):
    """One block of an article's body. ``type`` says which of the other fields it fills:

    heading: text, level; paragraph: html; table: caption, rows, header_row, reference;
    quote: text, reference; callout: kind, title, html; product_box: medicine.
    """

    type: str
    text: str | None = None
    level: str | None = None
    html: str | None = None
    caption: str | None = None
    header_row: bool | None = None
    rows: list[list[str]] | None = None
    kind: str | None = None
    title: str | None = None
    reference: int | None = None
    medicine: Link | None = None


class ArticleDetail(ArticleSummary):
    body: list[ArticleBlock]
    references: list[ReferenceOut]


# ---------------------------------------------------------------------------
# Search


class SearchResult(Schema):
    type: str = Field(description="medicine or article.")
    slug: str
    title: str
    summary: str
    api_url: str
    url: str | None


# ---------------------------------------------------------------------------
# Staff


class PackUpdateRow(Schema):
    """A pack's new price and/or stock. Nothing else: what a product is (medicine, form, strength, ingredients)
    changes only through a pharmacist in the admin."""

    sku: str = Field(min_length=1, max_length=40, pattern=r"^[^\x00]+$")
    price: str | None = Field(None, pattern=DECIMAL_PATTERN, description="New price per pack, e.g. “15.30”.")
    stock: int | None = Field(None, ge=0, le=MAX_STOCK, description="New number of packs on the shelf.")

    @field_validator("price", "stock")
    @classmethod
    def by_the_catalogue_rules(cls, value, info):
        """A price or stock the catalogue's one parser (``catalogue.pricing``) accepts, as the admin and CSV do."""
        if value is not None:
            (parse_price if info.field_name == "price" else parse_stock)(value)
        return value

    @model_validator(mode="before")
    @classmethod
    def only_price_and_stock(cls, data):
        given = getattr(data, "_obj", data)  # ninja hands validators a DjangoGetter around the request's row
        unknown = sorted(set(given) - {"sku", "price", "stock"}) if isinstance(given, dict) else []
        if unknown:
            raise ValueError(
                f"a row sets only sku, price and stock, not {', '.join(unknown)}: a product's medicine, form, "
                "strength and active ingredients decide whether it needs a prescription, and only a pharmacist "
                "changes them, in the admin"
            )
        return data


class PackUpdateRequest(Schema):
    rows: list[PackUpdateRow] = Field(min_length=1, max_length=1000)


class PackUpdateResult(Schema):
    sku: str
    price: str
    stock: int
    changed: bool


class PackUpdateResponse(Schema):
    updated: int = Field(description="Packs whose price or stock changed.")
    rows: list[PackUpdateResult]


class OrderLineOut(Schema):
    sku: str
    description: str
    active_ingredients: str = Field(description="As recorded on the line when the order was placed.")
    strength: str
    quantity: int
    unit_price: Money
    line_total: Money
    requires_prescription: bool
    controlled: bool
    removed: bool


class OrderForReview(Schema):
    number: str
    status: Choice
    placed_at: datetime
    in_review_since: datetime | None
    total: Money = Field(description="The lines not removed, and the shipping.")
    shipping_method: str = Field(description="The shipping method's code ('' for an order placed without one).")
    shipping_cost: Money
    has_prescription: bool = Field(description="Whether a prescription is attached (never the file itself).")
    lines: list[OrderLineOut]


MedicineList = paged(MedicineSummary)
ProductList = paged(ProductOut)
DrugClassList = paged(DrugClassOut)
ArticleList = paged(ArticleSummary)
SearchResults = paged(SearchResult)
OrdersForReview = paged(OrderForReview)

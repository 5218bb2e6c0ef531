"""What the API says about each thing: plain dicts in the shapes of ``api.schemas``.

The schemas are the one list of each answer's fields: ``fields`` reads every field of a schema
from the object by its own name, so only what is computed, renamed or hidden is spelt out here.

Only public fields are read here: a reviewer is a name and credentials, never
an e-mail address; an order is its number, status, dates and lines, never its
address, its customer or its prescription's file.
"""

from __future__ import annotations

from decimal import Decimal

import nh3
from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from ninja import Schema
from wagtail.rich_text import expand_db_html

from api import schemas
from catalogue.models import Pack
from catalogue.money import format_money
from medicines.models import MedicinePage

RICH_TEXT_TAGS = {"p", "br", "a", "strong", "b", "em", "i", "ol", "ul", "li", "h2", "h3", "h4", "sup", "sub"}


def rich_text_html(value) -> str:
    """Editor-written rich text with its internal links resolved, sanitised (nh3) for any client's page."""
    source = getattr(value, "source", value)
    return nh3.clean(expand_db_html(str(source or "")), tags=RICH_TEXT_TAGS)


def fields(schema: type[Schema], source, **given) -> dict:
    """Every field of ``schema``: as ``given``, else the attribute of ``source`` with the field's name."""
    unknown = set(given) - set(schema.model_fields)
    if unknown:
        raise TypeError(f"{schema.__name__} has no field {', '.join(sorted(unknown))}")
    return {name: given[name] if name in given else getattr(source, name) for name in schema.model_fields}


def choice(code: str, label) -> dict:
    return {"code": code, "label": str(label)}


def coded(row, field_name: str) -> dict:
    """A model's choice field as a ``Choice``: its code and its label."""
    return choice(getattr(row, field_name), getattr(row, f"get_{field_name}_display")())


def decimal_text(value: Decimal | None) -> str | None:
    """``Decimal("10.0")`` -> "10"; None stays None."""
    return None if value is None else f"{value.normalize():f}"


def money(amount: Decimal) -> dict:
    return {"amount": f"{amount:.2f}", "currency": settings.PHARMACY_CURRENCY, "formatted": format_money(amount)}


def api_url(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=args))


def page_url(request, page) -> str | None:
    return page.get_full_url(request)


def page_fields(schema: type[Schema], request, page, api_name: str, **given) -> dict:
    """``schema``'s fields for a page: its API address and its address on the website, the rest as ``fields``."""
    return fields(schema, page, api_url=api_url(request, api_name, page.slug), url=page_url(request, page), **given)


def page_link(request, page, api_name: str) -> dict:
    return page_fields(schemas.Link, request, page, api_name)


# ---------------------------------------------------------------------------
# Catalogue


def with_packs(products):
    """``products`` with their medicine and their packs (smallest first), in three queries in all."""
    return products.select_related("medicine").prefetch_related(
        Prefetch("packs", queryset=Pack.objects.order_by("units", "pk"))
    )


def pack(request, pack: Pack, product) -> dict:
    return fields(
        schemas.PackOut,
        pack,
        size=pack.size_label,
        price=money(pack.price),
        unit_price={**money(pack.unit_price), "unit": product.unit_name},
        availability="in_stock" if pack.in_stock else "out_of_stock",
    )


def product(request, product) -> dict:
    packs = list(product.packs.all())
    for row in packs:
        row.product = product  # size labels name the product's unit without another query
    return fields(
        schemas.ProductOut,
        product,
        id=product.pk,
        api_url=api_url(request, "product", product.pk),
        name=str(product),
        medicine=page_link(request, product.medicine, "medicine"),
        form=coded(product, "form"),
        in_stock=any(row.in_stock for row in packs),
        packs=[pack(request, row, product) for row in packs],
    )


# ---------------------------------------------------------------------------
# References


def reference(row) -> dict:
    """A numbered row of a page's reference list (``ReferenceListEntry.numbered``)."""
    source = row.reference
    return fields(
        schemas.ReferenceOut,
        source,
        number=row.number,
        kind=coded(source, "kind"),
        vancouver=source.vancouver(),
        verification=coded(source, "verification_status"),
    )


# ---------------------------------------------------------------------------
# Drug classes and medicines


def drug_class(request, page) -> dict:
    return page_fields(schemas.DrugClassOut, request, page, "drug_class")


def medicine_summary(request, page) -> dict:
    """A guide in a list: its identity and status. Needs ``drug_class`` joined and ``tags`` prefetched."""
    return page_fields(
        schemas.MedicineSummary,
        request,
        page,
        "medicine",
        brand_names=page.brand_name_list,
        active_ingredients=page.ingredient_list,
        drug_class=page_link(request, page.published_class, "drug_class") if page.published_class else None,
        legal_status=choice(page.legal_status, page.legal_status_label),
        tags=tag_names(page),
    )


def tag_names(page) -> list[str]:
    return sorted(tag.name for tag in page.tags.all())


def cited_rows(page, relation: str, schema: type[Schema], **computed) -> list[dict]:
    """The guide's rows of ``relation`` in ``schema``'s shape, each with the number of the reference it cites;
    ``computed`` gives the fields not read by their name, each as a function of the row."""
    return [
        fields(schema, row, reference=row.ref_number, **{name: read(row) for name, read in computed.items()})
        for row in page.cited_rows(relation)
    ]


def medicine_detail(request, page, products) -> dict:
    """The whole guide: its structured rows (each with the number of the reference it cites), review and products."""
    reviewer = page.reviewed_by
    return fields(
        schemas.MedicineDetail,
        page,
        **medicine_summary(request, page),
        how_it_works_html=rich_text_html(page.how_it_works),
        how_to_take_html=rich_text_html(page.how_to_take),
        warnings_html=rich_text_html(page.warnings),
        indications=cited_rows(page, "indications", schemas.IndicationOut),
        side_effects=cited_rows(
            page,
            "side_effects",
            schemas.SideEffectOut,
            frequency=lambda row: coded(row, "frequency"),
            percent_low=lambda row: decimal_text(row.percent_low),
            percent_high=lambda row: decimal_text(row.percent_high),
        ),
        interactions=cited_rows(
            page, "interactions", schemas.InteractionOut, severity=lambda row: coded(row, "severity")
        ),
        off_label_uses=cited_rows(
            page,
            "off_label_uses",
            schemas.OffLabelUseOut,
            evidence_strength=lambda row: coded(row, "evidence_strength"),
        ),
        studies=cited_rows(page, "studies", schemas.StudyOut),
        review=fields(
            schemas.ReviewOut,
            page,
            reviewed_by=reviewer.name_with_credentials if reviewer is not None else None,
            overdue=page.review_overdue,
        ),
        references=[reference(row) for row in page.numbered_references],
        products=[product(request, row) for row in products],
    )


# ---------------------------------------------------------------------------
# Articles


def article_summary(request, page) -> dict:
    return page_fields(schemas.ArticleSummary, request, page, "article", tags=tag_names(page))


def table_rows(table: dict) -> list[list[str]]:
    return [[str(cell) if cell is not None else "" for cell in row] for row in (table or {}).get("data") or []]


def article_block(request, block, numbers: dict[int, int], live_medicines: dict) -> dict:
    """One body block as data; rich text sanitised; a product box names its medicine only while it is published."""
    kind, value = block.block_type, block.value

    def ref(value) -> int | None:
        source = value.get("reference")
        return numbers.get(source.pk) if source is not None else None

    if kind == "heading":
        return {"type": kind, "text": value.get("text"), "level": value.get("level")}
    if kind == "paragraph":
        return {"type": kind, "html": rich_text_html(value)}
    if kind == "table":
        table = value.get("table") or {}
        return {
            "type": kind,
            "caption": value.get("caption"),
            "header_row": bool(table.get("first_row_is_table_header")),
            "rows": table_rows(table),
            "reference": ref(value),
        }
    if kind == "quote":
        return {"type": kind, "text": value.get("quote"), "reference": ref(value)}
    if kind == "callout":
        return {
            "type": kind,
            "kind": value.get("kind"),
            "title": value.get("title") or "",
            "html": rich_text_html(value.get("text")),
        }
    if kind == "product_box":
        chosen = value.get("medicine")
        medicine = live_medicines.get(chosen.pk) if chosen is not None else None
        return {"type": kind, "medicine": page_link(request, medicine, "medicine") if medicine else None}
    return {"type": kind}


def article_detail(request, page, live_medicines: dict) -> dict:
    references = page.numbered_references
    numbers = {row.reference_id: row.number for row in references}
    return fields(
        schemas.ArticleDetail,
        page,
        **article_summary(request, page),
        body=[article_block(request, block, numbers, live_medicines) for block in page.body],
        references=[reference(row) for row in references],
    )


def search_result(request, page) -> dict:
    """A guide or an article found by the site search (``page`` is its specific type)."""
    kind = "medicine" if isinstance(page, MedicinePage) else "article"
    return page_fields(schemas.SearchResult, request, page, kind, type=kind)


# ---------------------------------------------------------------------------
# Orders (staff)


def order_for_review(order) -> dict:
    """An order in the pharmacist's queue: what was ordered and when; no address, customer or prescription file."""
    return fields(
        schemas.OrderForReview,
        order,
        status=coded(order, "status"),
        placed_at=order.created_at,
        total=money(order.total),
        shipping_cost=money(order.shipping_cost),
        has_prescription=order.prescription_id is not None,
        lines=[
            fields(
                schemas.OrderLineOut,
                line,
                sku=line.sku or line.pack.sku,
                unit_price=money(line.unit_price),
                line_total=money(line.line_total),
            )
            for line in order.lines.all()
        ],
    )

"""What the API says about each thing: plain dicts in the shapes of ``api.schemas``.

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
from wagtail.rich_text import expand_db_html

from catalogue.models import Pack
from catalogue.money import format_money
from medicines.models import MedicinePage

RICH_TEXT_TAGS = {"p", "br", "a", "strong", "b", "em", "i", "ol", "ul", "li", "h2", "h3", "h4", "sup", "sub"}


def rich_text_html(value) -> str:
    """Editor-written rich text with its internal links resolved, sanitised (nh3) for any client's page."""
    source = getattr(value, "source", value)
    return nh3.clean(expand_db_html(str(source or "")), tags=RICH_TEXT_TAGS)


def choice(code: str, label) -> dict:
    return {"code": code, "label": str(label)}


def decimal_text(value: Decimal | None) -> str | None:
    """``Decimal("10.0")`` -> "10"; None stays None."""
    return None if value is None else f"{value.normalize():f}"


def money(amount: Decimal) -> dict:
    return {"amount": f"{amount:.2f}", "currency": settings.PHARMACY_CURRENCY, "formatted": format_money(amount)}


def api_url(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=args))


def page_url(request, page) -> str | None:
    return page.get_full_url(request)


def page_link(request, page, api_name: str) -> dict:
    return {
        "slug": page.slug,
        "title": page.title,
        "api_url": api_url(request, api_name, page.slug),
        "url": page_url(request, page),
    }


# ---------------------------------------------------------------------------
# Catalogue


def with_packs(products):
    """``products`` with their medicine and their packs (smallest first), in three queries in all."""
    return products.select_related("medicine").prefetch_related(
        Prefetch("packs", queryset=Pack.objects.order_by("units", "pk"))
    )


def pack(request, pack: Pack, product) -> dict:
    return {
        "sku": pack.sku,
        "ndc": pack.ndc,
        "units": pack.units,
        "size": pack.size_label,
        "price": money(pack.price),
        "unit_price": {**money(pack.unit_price), "unit": product.unit_name},
        "stock": pack.stock,
        "in_stock": pack.in_stock,
        "availability": "in_stock" if pack.in_stock else "out_of_stock",
    }


def product(request, product) -> dict:
    packs = list(product.packs.all())
    for row in packs:
        row.product = product  # size labels name the product's unit without another query
    return {
        "id": product.pk,
        "api_url": api_url(request, "product", product.pk),
        "name": str(product),
        "medicine": page_link(request, product.medicine, "medicine"),
        "form": choice(product.form, product.get_form_display()),
        "strength": product.strength,
        "manufacturer": product.manufacturer,
        "ndc_product_code": product.ndc_product_code,
        "rxnorm_code": product.rxnorm_code,
        "requires_prescription": product.requires_prescription,
        "in_stock": any(row.in_stock for row in packs),
        "packs": [pack(request, row, product) for row in packs],
    }


# ---------------------------------------------------------------------------
# References


def reference(row) -> dict:
    """A numbered row of a page's reference list (``ReferenceListEntry.numbered``)."""
    source = row.reference
    return {
        "number": row.number,
        "kind": choice(source.kind, source.get_kind_display()),
        "authors": source.authors,
        "title": source.title,
        "container": source.container,
        "year": source.year,
        "volume": source.volume,
        "pages": source.pages,
        "doi": source.doi,
        "pmid": source.pmid,
        "url": source.url,
        "link": source.link,
        "vancouver": source.vancouver(),
        "verification": choice(source.verification_status, source.get_verification_status_display()),
        "verified_at": source.verified_at,
    }


# ---------------------------------------------------------------------------
# Drug classes and medicines


def drug_class(request, page) -> dict:
    return {
        "slug": page.slug,
        "title": page.title,
        "description": page.description,
        "medicine_count": page.medicine_count,
        "api_url": api_url(request, "drug_class", page.slug),
        "url": page_url(request, page),
    }


def medicine_summary(request, page) -> dict:
    """A guide in a list: its identity and status. Needs ``drug_class`` joined and ``tags`` prefetched."""
    return {
        "slug": page.slug,
        "title": page.title,
        "api_url": api_url(request, "medicine", page.slug),
        "url": page_url(request, page),
        "generic_name": page.generic_name,
        "brand_names": page.brand_name_list,
        "active_ingredients": page.ingredient_list,
        "drug_class": page_link(request, page.published_class, "drug_class") if page.published_class else None,
        "legal_status": choice(page.legal_status, page.legal_status_label),
        "controlled_schedule": page.controlled_schedule,
        "requires_prescription": page.requires_prescription,
        "summary": page.summary,
        "tags": sorted(tag.name for tag in page.tags.all()),
        "last_reviewed": page.last_reviewed,
        "last_published_at": page.last_published_at,
    }


def medicine_detail(request, page, products) -> dict:
    """The whole guide: its structured rows (each with the number of the reference it cites), review and products."""
    reviewer = page.reviewed_by
    return {
        **medicine_summary(request, page),
        "how_it_works_html": rich_text_html(page.how_it_works),
        "how_to_take_html": rich_text_html(page.how_to_take),
        "boxed_warning": page.boxed_warning,
        "warnings_html": rich_text_html(page.warnings),
        "pregnancy": page.pregnancy,
        "breastfeeding": page.breastfeeding,
        "indications": [
            {"condition": row.condition, "detail": row.detail, "reference": row.ref_number}
            for row in page.cited_rows("indications")
        ],
        "side_effects": [
            {
                "effect": row.effect,
                "frequency": choice(row.frequency, row.get_frequency_display()),
                "percent_low": decimal_text(row.percent_low),
                "percent_high": decimal_text(row.percent_high),
                "percent_range": row.percent_range,
                "note": row.note,
                "reference": row.ref_number,
            }
            for row in page.cited_rows("side_effects")
        ],
        "interactions": [
            {
                "substance": row.substance,
                "severity": choice(row.severity, row.get_severity_display()),
                "effect": row.effect,
                "reference": row.ref_number,
            }
            for row in page.cited_rows("interactions")
        ],
        "off_label_uses": [
            {
                "condition": row.condition,
                "evidence_strength": choice(row.evidence_strength, row.get_evidence_strength_display()),
                "summary": row.summary,
                "reference": row.ref_number,
            }
            for row in page.cited_rows("off_label_uses")
        ],
        "studies": [
            {
                "citation": row.citation,
                "participants": row.participants,
                "design": row.design,
                "finding": row.finding,
                "reference": row.ref_number,
            }
            for row in page.cited_rows("studies")
        ],
        "review": {
            "reviewed_by": reviewer.name_with_credentials if reviewer is not None else None,
            "last_reviewed": page.last_reviewed,
            "next_review_due": page.next_review_due,
            "overdue": page.review_overdue,
        },
        "references": [reference(row) for row in page.numbered_references],
        "products": [product(request, row) for row in products],
    }


# ---------------------------------------------------------------------------
# Articles


def article_summary(request, page) -> dict:
    return {
        "slug": page.slug,
        "title": page.title,
        "api_url": api_url(request, "article", page.slug),
        "url": page_url(request, page),
        "summary": page.summary,
        "author_name": page.author_name,
        "tags": sorted(tag.name for tag in page.tags.all()),
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
    }


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
    return {
        **article_summary(request, page),
        "body": [article_block(request, block, numbers, live_medicines) for block in page.body],
        "references": [reference(row) for row in references],
    }


def search_result(request, page) -> dict:
    """A guide or an article found by the site search (``page`` is its specific type)."""
    kind = "medicine" if isinstance(page, MedicinePage) else "article"
    return {
        "type": kind,
        "slug": page.slug,
        "title": page.title,
        "summary": page.summary,
        "api_url": api_url(request, kind, page.slug),
        "url": page_url(request, page),
    }


# ---------------------------------------------------------------------------
# Orders (staff)


def order_for_review(order) -> dict:
    """An order in the pharmacist's queue: what was ordered and when; no address, customer or prescription file."""
    return {
        "number": order.number,
        "status": choice(order.status, order.get_status_display()),
        "placed_at": order.created_at,
        "in_review_since": order.in_review_since,
        "total": money(order.total),
        "has_prescription": order.prescription_id is not None,
        "lines": [
            {
                "sku": line.sku or line.pack.sku,
                "description": line.description,
                "active_ingredients": line.active_ingredients,
                "strength": line.strength,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price),
                "line_total": money(line.line_total),
                "requires_prescription": line.requires_prescription,
                "controlled": line.controlled,
                "removed": line.removed,
            }
            for line in order.lines.all()
        ],
    }

"""schema.org JSON-LD for the site's pages: plain functions from a page to JSON-ready dicts.

Each page type's graph is built from what its view has already loaded (the guide's rows from
``MedicinePage.get_context``, its products and packs from the catalogue's one-query grouping), so
that structured data costs the page no query. Called without those rows, the functions read them
from the page.

The mapping, checked against schema.org's own definitions (``seo/schemaorg/schema.json``):

- a guide is a ``MedicalWebPage`` (``lastReviewed``, ``reviewedBy`` — the reviewer's public name,
  never an e-mail — ``citation``, ``breadcrumb``) whose ``mainEntity`` is the ``Drug``;
- schema.org defines ``adverseOutcome`` on therapies, not on drugs: the side effects hang on a
  ``MedicalTherapy`` ("Treatment with baclofen") whose ``drug`` is the guide's Drug, and which the
  page is also ``about``;
- every pack is a ``Product`` with one ``Offer`` (price, currency, availability from stock, SKU;
  the NDC package code as ``productID`` "ndc:…", as schema.org suggests for ISBNs);
- an article is an ``Article`` on a ``WebPage``; every other page is a ``WebPage`` (a drug class
  page a ``MedicalWebPage`` about its ``DrugClass``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import to_locale

from catalogue.models import Product, product_name
from catalogue.strength import parse_strength
from evidence.audit import CITATION, paragraphs

CONTEXT = "https://schema.org"
ALCOHOL = re.compile(r"^\s*(alcohol|ethanol)\b", re.IGNORECASE)

# The same escapes as Django's json_script: editor text can never close the script element.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def language() -> str:
    """The site's language as a BCP 47 tag ("en-US")."""
    return to_locale(settings.LANGUAGE_CODE).replace("_", "-")


def schema_url(name: str) -> str:
    """An enumeration member's URL: ``schema_url("InStock")`` is "https://schema.org/InStock"."""
    return f"{CONTEXT}/{name}"


def plain_text(value) -> str:
    """An editor's plain text on one line, without citation markers ("[1]"), otherwise as written."""
    return " ".join(CITATION.sub("", str(value or "")).split())


def rich_text(value) -> str:
    """Rich text (HTML) as plain text on one line: the paragraphs' text, without tags or citation markers."""
    return plain_text(" ".join(paragraphs(str(value or ""))))


def one_or_many(values: list):
    """A single value as itself, several as a list, none as None (left out)."""
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def compact(node: dict) -> dict:
    """The node without the properties that have no value."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def reference(node_id: str) -> dict:
    return {"@id": node_id}


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def script_tag(data: dict) -> SafeString:
    """``data`` in a ``<script type="application/ld+json">``, escaped as ``json_script`` escapes."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


# --- The site around every page ---------------------------------------------------------------------------------


def organization(name: str, site_url: str) -> dict:
    """The pharmacy, publisher of every page and seller of every pack."""
    return {"@type": "Organization", "@id": f"{site_url}/#organization", "name": name, "url": f"{site_url}/"}


def person_or_team(user) -> dict:
    """A reviewer or author by their public name (with credentials), never their e-mail address."""
    full_name = user.get_full_name()
    if not full_name:
        return {"@type": "Organization", "name": user.display_name}
    return compact({"@type": "Person", "name": full_name, "honorificSuffix": user.credentials})


def breadcrumb_list(node_id: str, crumbs: Iterable[tuple[str, str]]) -> dict:
    """A ``BreadcrumbList`` from (name, full URL) pairs, home first, the page itself last."""
    items = [
        {"@type": "ListItem", "position": position, "name": name, "item": url}
        for position, (name, url) in enumerate(crumbs, start=1)
    ]
    return {"@type": "BreadcrumbList", "@id": node_id, "itemListElement": items, "numberOfItems": len(items)}


def page_crumbs(page, page_url: str, site_url: str, trail: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Home, the page's breadcrumb trail (as its context gives it: titles and URLs) and the page."""
    return [("Home", f"{site_url}/"), *((title, urljoin(site_url + "/", url)) for title, url in trail)] + [
        (page.title, page_url)
    ]


def citation(entry) -> dict:
    """One numbered reference of a guide or article as a ``CreativeWork``."""
    source = entry.reference
    return compact({"@type": "CreativeWork", "name": source.vancouver(), "url": source.link or None})


def page_description(page) -> str:
    """What a page is about in a sentence or two: the editor's search description, else its summary,
    description or intro, as plain text."""
    for field_name in ("search_description", "summary", "description", "intro"):
        text = plain_text(getattr(page, field_name, ""))
        if text:
            return text
    return ""


def web_page_node(page, page_url: str, *, type_name: str = "WebPage", publisher: dict | None = None) -> dict:
    """The page itself: its address, title, summary and dates."""
    return compact(
        {
            "@type": type_name,
            "@id": f"{page_url}#webpage",
            "url": page_url,
            "name": page.seo_title or page.title,
            "description": page_description(page),
            "inLanguage": language(),
            "datePublished": iso(page.first_published_at),
            "dateModified": iso(page.last_published_at),
            "publisher": reference(publisher["@id"]) if publisher else None,
        }
    )


def graph(*nodes) -> dict:
    return {"@context": CONTEXT, "@graph": [node for node in nodes if node]}


# --- Medicine guides --------------------------------------------------------------------------------------------


def strength_node(product, ingredients: str) -> dict:
    """One product's strength as a ``DrugStrength`` ("10 mg" is 10 "mg"; "5 mg/5 mL" is 5 "mg/5 mL")."""
    node = {"@type": "DrugStrength", "name": product.strength_and_form}
    strength = parse_strength(product.strength)
    if strength:
        amount = float(strength.amount)
        node["strengthValue"] = int(amount) if amount.is_integer() else amount
        node["strengthUnit"] = strength.unit
        if strength.per_unit:
            per = f"{strength.per_amount} {strength.per_unit}" if strength.per_amount else strength.per_unit
            node["strengthUnit"] += f"/{per}"
    node["activeIngredient"] = ingredients
    return node


def dosage_forms(products) -> list[str]:
    """The forms sold, in catalogue order, each once."""
    forms: list[str] = []
    for product in products:
        label = product.get_form_display()
        if label not in forms:
            forms.append(label)
    return forms


def side_effect_node(row) -> dict:
    """A side effect with how often it happens, as the guide's table gives it."""
    how_often = "; ".join(
        part
        for part in (
            row.frequency_display,
            f"{row.percent_range} of people in the source" if row.percent_range else "",
            row.note,
        )
        if part
    )
    return compact({"@type": "MedicalSignOrSymptom", "name": row.effect, "description": how_often})


def interaction_node(row) -> dict:
    return {"@type": "Drug", "name": row.substance, "description": f"{row.get_severity_display()}. {row.effect}"}


def drug_node(page, page_url: str, *, products, interactions, site_url: str) -> dict:
    """The medicine as a ``Drug``: names, class, forms and strengths, legal status, mechanism, warnings."""
    drug_class = page.published_class
    alcohol = [row.effect for row in interactions if ALCOHOL.match(row.substance)]
    return compact(
        {
            "@type": "Drug",
            "@id": f"{page_url}#drug",
            "name": page.title,
            "url": page_url,
            "description": plain_text(page.summary),
            "nonProprietaryName": page.generic_name,
            "activeIngredient": one_or_many(page.ingredient_list),
            "proprietaryName": one_or_many(page.brand_name_list),
            "drugClass": compact(
                {
                    "@type": "DrugClass",
                    "name": drug_class.title,
                    "url": urljoin(site_url + "/", drug_class.url or ""),
                    "description": drug_class.description,
                }
            )
            if drug_class
            else None,
            "dosageForm": one_or_many(dosage_forms(products)),
            "availableStrength": [strength_node(product, page.active_ingredients) for product in products],
            "prescriptionStatus": schema_url("PrescriptionOnly" if page.requires_prescription else "OTC"),
            "legalStatus": {"@type": "DrugLegalStatus", "name": page.legal_status_label},
            "mechanismOfAction": rich_text(page.how_it_works),
            "interactingDrug": [interaction_node(row) for row in interactions],
            "alcoholWarning": one_or_many(alcohol),
            "pregnancyWarning": plain_text(page.pregnancy),
            "breastfeedingWarning": plain_text(page.breastfeeding),
            "warning": plain_text(page.boxed_warning),
        }
    )


def therapy_node(page, page_url: str, *, side_effects) -> dict:
    """Taking the medicine, as a ``MedicalTherapy``: how it is taken and its side effects."""
    return compact(
        {
            "@type": "MedicalTherapy",
            "@id": f"{page_url}#therapy",
            "name": f"Treatment with {page.generic_name}",
            "drug": reference(f"{page_url}#drug"),
            "howPerformed": rich_text(page.how_to_take),
            "adverseOutcome": [side_effect_node(row) for row in side_effects],
        }
    )


def pack_product(page, pack, page_url: str, *, seller: dict) -> dict:
    """One pack as a ``Product`` with its ``Offer``: price, currency, availability from stock."""
    product = pack.product
    return compact(
        {
            "@type": "Product",
            "@id": f"{page_url}#pack-{pack.sku}",
            "name": f"{product_name(page.title, product.strength, product.form)}, {pack.size_label}",
            "url": page_url,
            "sku": pack.sku,
            "productID": f"ndc:{pack.ndc}" if pack.ndc else None,
            "manufacturer": {"@type": "Organization", "name": product.manufacturer} if product.manufacturer else None,
            "isRelatedTo": reference(f"{page_url}#drug"),
            "offers": {
                "@type": "Offer",
                "url": page_url,
                "sku": pack.sku,
                "price": str(pack.price),
                "priceCurrency": settings.PHARMACY_CURRENCY,
                "availability": schema_url("InStock" if pack.in_stock else "OutOfStock"),
                "itemCondition": schema_url("NewCondition"),
                "seller": reference(seller["@id"]),
            },
        }
    )


def medicine_page(
    page,
    *,
    page_url: str,
    site_url: str,
    publisher_name: str,
    products=None,
    side_effects=None,
    interactions=None,
    references=None,
    trail=None,
    tags=None,
) -> dict:
    """A guide's whole graph: the page, the drug, the therapy and its side effects, every pack, the breadcrumbs.

    ``products`` are the catalogue's products with ``pack_list`` (``grouped_with_packs``); the other
    rows are those of ``MedicinePage.get_context``. Any left out is read from the page.
    """
    if products is None:
        products = Product.objects.published().for_medicine(page).grouped_with_packs()
    side_effects = list(page.side_effects.all()) if side_effects is None else side_effects
    interactions = list(page.interactions.all()) if interactions is None else interactions
    references = page.numbered_references if references is None else references
    if trail is None:
        trail = [(page.published_class.title, page.published_class.url)] if page.published_class else []
    tags = list(page.tags.all()) if tags is None else tags

    publisher = organization(publisher_name, site_url)
    web_page = web_page_node(page, page_url, type_name="MedicalWebPage", publisher=publisher)
    therapy = therapy_node(page, page_url, side_effects=side_effects)
    web_page.update(
        compact(
            {
                "about": [reference(f"{page_url}#drug"), reference(therapy["@id"])],
                "mainEntity": reference(f"{page_url}#drug"),
                "breadcrumb": reference(f"{page_url}#breadcrumb"),
                "lastReviewed": iso(page.last_reviewed),
                "reviewedBy": person_or_team(page.reviewed_by) if page.reviewed_by else None,
                "citation": [citation(entry) for entry in references],
                "keywords": ", ".join(tag.name for tag in tags),
            }
        )
    )
    packs = [pack_product(page, pack, page_url, seller=publisher) for product in products for pack in product.pack_list]
    return graph(
        web_page,
        drug_node(page, page_url, products=products, interactions=interactions, site_url=site_url),
        therapy,
        *packs,
        breadcrumb_list(f"{page_url}#breadcrumb", page_crumbs(page, page_url, site_url, trail)),
        publisher,
    )


# --- Articles and other pages -----------------------------------------------------------------------------------


def article_page(
    page, *, page_url: str, site_url: str, publisher_name: str, references=None, trail=None, tags=None
) -> dict:
    """An article's graph: the ``Article`` (headline, dates, author, citations), its page and breadcrumbs."""
    references = page.numbered_references if references is None else references
    trail = [("Articles", page.get_parent().url)] if trail is None else trail
    tags = list(page.tags.all()) if tags is None else tags
    publisher = organization(publisher_name, site_url)
    author = {"@type": "Person", "name": page.author_name} if page.author_name else reference(publisher["@id"])
    web_page = web_page_node(page, page_url, publisher=publisher)
    web_page["mainEntity"] = reference(f"{page_url}#article")
    web_page["breadcrumb"] = reference(f"{page_url}#breadcrumb")
    article = compact(
        {
            "@type": "Article",
            "@id": f"{page_url}#article",
            "headline": page.title,
            "description": page_description(page),
            "url": page_url,
            "mainEntityOfPage": page_url,
            "inLanguage": language(),
            "datePublished": iso(page.first_published_at),
            "dateModified": iso(page.last_published_at),
            "author": author,
            "publisher": reference(publisher["@id"]),
            "citation": [citation(entry) for entry in references],
            "keywords": ", ".join(tag.name for tag in tags),
        }
    )
    return graph(
        web_page,
        article,
        breadcrumb_list(f"{page_url}#breadcrumb", page_crumbs(page, page_url, site_url, trail)),
        publisher,
    )


def drug_class_page(page, *, page_url: str, site_url: str, publisher_name: str) -> dict:
    """A drug class page: a ``MedicalWebPage`` about the ``DrugClass``."""
    publisher = organization(publisher_name, site_url)
    web_page = web_page_node(page, page_url, type_name="MedicalWebPage", publisher=publisher)
    drug_class = {
        "@type": "DrugClass",
        "@id": f"{page_url}#drug-class",
        "name": page.title,
        "url": page_url,
        "description": plain_text(page.description),
    }
    web_page.update(about=reference(drug_class["@id"]), mainEntity=reference(drug_class["@id"]))
    return graph(web_page, compact(drug_class), publisher)


def generic_page(page, *, page_url: str, site_url: str, publisher_name: str) -> dict:
    """Any other page (home, indexes): a ``WebPage``."""
    publisher = organization(publisher_name, site_url)
    return graph(web_page_node(page, page_url, publisher=publisher), publisher)

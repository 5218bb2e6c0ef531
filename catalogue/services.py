"""The catalogue's rules for changing what is sold: what a product is, and the prices and stock of packs.

- What a product is (its medicine, form, strength and active ingredients) decides whether it needs a
  prescription and what is dispensed: only a pharmacist changes it (``check_identity_change``), and a product
  made or changed by anybody else is not sold until a pharmacist approves it (``approve_product``).
- Whether a product needs a prescription: its guide's legal status, or any live guide that makes one of its
  active ingredients prescription-only (``prescription_requirements``).

Views, the admin, commands and the API call these functions; they hold the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from apothecary.core.roles import is_pharmacist
from catalogue.models import Pack, Product
from catalogue.pricing import parse_price, parse_stock
from medicines.ingredients import ingredient_set

IDENTITY_RULE = (
    "A product's medicine, form, strength and active ingredients decide whether it needs a prescription and what "
    "is dispensed: only a pharmacist can change them."
)
APPROVAL_LOG_ACTION = "catalogue.approve_product"


class ProductIdentityLocked(PermissionDenied):
    """A non-pharmacist tried to change what a product is; the message names the rule and the change."""


def identity_changes(product: Product) -> list[str]:
    """What differs between ``product`` (unsaved changes) and its stored row, in words; [] for a new product."""
    if product.pk is None:
        return []
    stored = Product.objects.select_related("medicine").filter(pk=product.pk).first()
    if stored is None:
        return []
    changes = []
    if stored.medicine_id != product.medicine_id:
        changes.append(f"guide “{stored.medicine.title}” → “{product.medicine.title}”")
    if stored.form != product.form:
        changes.append(f"form {stored.get_form_display()} → {product.get_form_display()}")
    if stored.identity()[2] != product.identity()[2]:
        changes.append(f"strength {stored.strength} → {product.strength}")
    if stored.ingredients != ingredient_set(product.active_ingredients or product.medicine.active_ingredients):
        changes.append(f"active ingredients {stored.active_ingredients} → {product.active_ingredients}")
    return changes


def check_identity_change(product: Product, user) -> None:
    """Refuse (``ProductIdentityLocked``) a change to an existing product's identity by anyone but a pharmacist."""
    changes = identity_changes(product)
    if changes and not is_pharmacist(user):
        raise ProductIdentityLocked(f"{IDENTITY_RULE} Refused: {'; '.join(changes)}.")


@transaction.atomic
def approve_product(product: Product, pharmacist) -> Product:
    """A pharmacist approves what ``product`` is: it may be sold (when active and its guide is live). Logged."""
    from wagtail.log_actions import log

    if not is_pharmacist(pharmacist):
        raise PermissionDenied("Only a pharmacist (a member of the Pharmacists group) can approve a product.")
    product.approved_by, product.approved_at = pharmacist, timezone.now()
    product.save(update_fields=["approved_by", "approved_at"])
    log(
        instance=product,
        action=APPROVAL_LOG_ACTION,
        user=pharmacist,
        data={
            "medicine": product.medicine.title,
            "form": product.get_form_display(),
            "strength": product.strength,
            "active_ingredients": product.active_ingredients,
            "legal_status": product.medicine.get_legal_status_display(),
        },
    )
    return product


@dataclass(frozen=True)
class PrescriptionNeed:
    """Whether a product needs a prescription, and why ("" when it does not); controlled medicines too."""

    reason: str = ""
    controlled: bool = False

    @property
    def required(self) -> bool:
        return bool(self.reason)


def prescription_needs(products: Iterable[Product]) -> dict[int, PrescriptionNeed]:
    """Whether each product needs a prescription, by product id; one query for all of them.

    A product needs one when its guide is prescription-only, or when any live guide makes one of its active
    ingredients prescription-only, whatever its own guide says. It is controlled when either is controlled.
    """
    from medicines.models import LegalStatus
    from medicines.services import prescription_only_guides, ruling_guides, ruling_reason

    products = list(products)
    ruling = prescription_only_guides(frozenset().union(*(product.ingredients for product in products)))
    needs = {}
    for product in products:
        guides = ruling_guides(product.ingredients, ruling)
        controlled = product.medicine.legal_status == LegalStatus.CONTROLLED or any(
            guide.legal_status == LegalStatus.CONTROLLED for guide in guides
        )
        if product.medicine.requires_prescription:
            reason = f"{product.medicine.title} is {product.medicine.legal_status_label.lower()}"
        else:
            reason = ruling_reason(product.ingredients, guides)
        needs[product.pk] = PrescriptionNeed(reason, controlled and bool(reason))
    return needs


class PackUpdateError(Exception):
    """Some rows of a bulk update cannot be applied, so none was.

    ``errors`` maps each bad row's position in the rows given (0 for the first)
    to ``{field: message}``; ``sku`` names the row's pack where it was given.
    """

    def __init__(self, errors: dict[int, dict[str, str]]):
        self.errors = errors
        rows = ", ".join(str(index) for index in sorted(errors))
        super().__init__(f"Nothing was changed: {len(errors)} row(s) have errors (rows {rows}).")


@dataclass(frozen=True)
class PackChange:
    """What one row changed: a pack's price and stock, before and after."""

    sku: str
    pack_id: int
    product_id: int
    old_price: Decimal
    new_price: Decimal
    old_stock: int
    new_stock: int

    @property
    def changed(self) -> bool:
        return self.old_price != self.new_price or self.old_stock != self.new_stock


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_row(row: Mapping, seen: set[str]) -> tuple[str, dict, dict[str, str]]:
    """The row's SKU, its parsed new values and its errors (``{field: message}``)."""
    errors: dict[str, str] = {}
    values: dict = {}
    sku = str(row.get("sku") or "").strip()
    if not sku:
        errors["sku"] = "Give the pack's SKU."
    elif sku in seen:
        errors["sku"] = f"SKU {sku} appears in more than one row."
    seen.add(sku)
    for field, parse in (("price", parse_price), ("stock", parse_stock)):
        if not _is_blank(row.get(field)):
            try:
                values[field] = parse(row[field].strip() if isinstance(row[field], str) else row[field])
            except ValueError as exc:
                errors[field] = str(exc)
    if not values and not errors:
        errors["price"] = "Give a new price, a new stock, or both."
    return sku, values, errors


@transaction.atomic
def update_packs(rows: Sequence[Mapping]) -> list[PackChange]:
    """Set the price and/or stock of packs named by SKU, all rows or none.

    Each row is a mapping with ``sku`` and at least one of ``price`` (text such
    as "15.30", or a Decimal) and ``stock`` (a whole number of packs); a blank
    value leaves that field as it is. Every row is checked before anything is
    written; if any row is wrong, ``PackUpdateError`` names each bad row and
    nothing is changed. The packs are locked while they are updated (on
    PostgreSQL), so a checkout running at the same time waits.

    Returns one ``PackChange`` per row, in the rows' order.
    """
    errors: dict[int, dict[str, str]] = {}
    parsed: list[tuple[str, dict]] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        sku, values, row_errors = _check_row(row, seen)
        if row_errors:
            errors[index] = row_errors
        parsed.append((sku, values))
    packs = Pack.objects.select_for_update().in_bulk([sku for sku, _ in parsed if sku], field_name="sku")
    for index, (sku, _) in enumerate(parsed):
        if sku and sku not in packs and "sku" not in errors.get(index, {}):
            errors.setdefault(index, {})["sku"] = f"No pack has SKU {sku}."
    if errors:
        raise PackUpdateError(errors)

    changes = []
    for sku, values in parsed:
        pack = packs[sku]
        change = PackChange(
            sku=sku,
            pack_id=pack.pk,
            product_id=pack.product_id,
            old_price=pack.price,
            new_price=values.get("price", pack.price),
            old_stock=pack.stock,
            new_stock=values.get("stock", pack.stock),
        )
        save_changes(pack, {"price": change.new_price, "stock": change.new_stock})
        changes.append(change)
    return changes


def save_changes(instance: Pack | Product, wanted: Mapping[str, object]) -> list[str]:
    """Set the fields of a pack or product that differ from ``wanted`` and save only those; returns their names.

    The one way packs are written, by the staff API's bulk update and by the CSV import (``Pack.save`` decides
    what a change of SKU, units or NDC means for the product's approval).
    """
    changed = [name for name, value in wanted.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, wanted[name])
    if changed:
        instance.save(update_fields=changed)
    return changed

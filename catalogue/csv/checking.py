"""Checking the rows against each other and against the catalogue: what each row would change, and the errors
only the catalogue can show."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.csv.columns import PACK_COLUMNS, PRODUCT_COLUMNS, show
from catalogue.csv.plan import Change, PackRow, RowError
from catalogue.models import Pack, Product, product_name
from medicines.models import MedicinePage


def check_consistency(rows: list[PackRow]) -> list[RowError]:
    """A SKU appears once in the file, and the rows of one product agree on the product's columns."""
    errors = []
    first_with_sku: dict[str, PackRow] = {}
    first_of_product: dict[tuple[str, str, str], PackRow] = {}
    for row in rows:
        earlier = first_with_sku.setdefault(row.sku, row)
        if earlier is not row:
            message = f"the same SKU is on row {earlier.row}; a pack appears once in a file."
            errors.append(RowError(row.row, "sku", row.sku, message))
        first = first_of_product.setdefault(row.product_key, row)
        for column in PRODUCT_COLUMNS:
            mine, theirs = getattr(row, column), getattr(first, column)
            if mine != theirs:
                given = f"“{show(theirs)}”" if show(theirs) else "a blank"
                message = (
                    f"row {first.row} gives {given} for the same product ({row.name}); rows of one product must agree."
                )
                errors.append(RowError(row.row, column, show(mine), message))
    return errors


# ---------------------------------------------------------------------------
# Comparing the rows with the catalogue


@dataclass
class Catalogue:
    """The guides, products and packs a file's rows name, read in three or four queries (locked when applying)."""

    medicines: dict[str, list[MedicinePage]]
    products: dict[tuple[str, str, str], Product]
    packs: dict[str, Pack]

    @classmethod
    def load(cls, rows: list[PackRow], *, lock: bool = False) -> Catalogue:
        slugs = {row.medicine for row in rows}
        medicines: dict[str, list[MedicinePage]] = {}
        for medicine in MedicinePage.objects.filter(slug__in=slugs).order_by("pk"):
            medicines.setdefault(medicine.slug, []).append(medicine)
        by_pk = {medicine.pk: medicine for pages in medicines.values() for medicine in pages}
        products_query = Product.objects.filter(medicine__in=list(by_pk)).order_by("pk")
        packs_query = Pack.objects.filter(sku__in=[row.sku for row in rows]).order_by("pk")
        if lock:
            products_query = products_query.select_for_update()
            packs_query = packs_query.select_for_update()
        products_by_pk = {}
        for product in products_query:
            product.medicine = by_pk[product.medicine_id]
            products_by_pk[product.pk] = product
        packs = list(packs_query)
        # A pack of a product the file does not name (an error: packs never move) still needs its product's name.
        others = {pack.product_id for pack in packs} - products_by_pk.keys()
        if others:
            products_by_pk.update(Product.objects.select_related("medicine").in_bulk(others))
        for pack in packs:
            pack.product = products_by_pk[pack.product_id]
        products = {_key_of(product): product for product in products_by_pk.values() if product.medicine_id in by_pk}
        return cls(medicines, products, {pack.sku: pack for pack in packs})


def compare(rows: list[PackRow], catalogue: Catalogue) -> tuple[list[RowError], list[Change]]:
    """The errors only the catalogue can show (unknown guide, a pack moving product) and each good row's change."""
    errors: list[RowError] = []
    changes: list[Change] = []
    new_products: set[tuple[str, str, str]] = set()
    changed_products: set[tuple[str, str, str]] = set()
    for row in rows:
        guides = catalogue.medicines.get(row.medicine, [])
        if not guides:
            message = "no medicine guide has this slug; add the guide first (a CSV never creates guides)."
            errors.append(RowError(row.row, "medicine", row.medicine, message))
            continue
        if len(guides) > 1:
            message = "several guides have this slug; give them different slugs first."
            errors.append(RowError(row.row, "medicine", row.medicine, message))
            continue
        pack = catalogue.packs.get(row.sku)
        if pack is not None and _key_of(pack.product) != row.product_key:
            message = (
                f"this SKU is a pack of {pack.product}, not of {row.name}; a pack cannot move to "
                "another product (give the new pack a new SKU)."
            )
            errors.append(RowError(row.row, "sku", row.sku, message))
            continue
        product = catalogue.products.get(row.product_key)
        change = Change(
            row=row.row,
            sku=row.sku,
            product=str(product) if product else product_name(guides[0].title, row.strength, row.form),
        )
        if product is None:
            change.creates_product = row.product_key not in new_products
            new_products.add(row.product_key)
        elif row.product_key not in changed_products:
            # A product's own columns are reported once, on its first row.
            changed_products.add(row.product_key)
            change.fields += _differences(product, row.product_fields, PRODUCT_LABELS)
        if pack is None:
            change.creates_pack = True
            change.fields += [(column, "", show(getattr(row, column))) for column in PACK_COLUMNS]
        else:
            change.fields += _differences(pack, row.pack_fields, PACK_LABELS)
        changes.append(change)
    return errors, changes


PRODUCT_LABELS = {
    "manufacturer": "manufacturer",
    "ndc_product_code": "ndc_product_code",
    "rxnorm_code": "rxnorm_code",
    "active": "product_active",
}
PACK_LABELS = {name: name for name in PACK_COLUMNS}


def _key_of(product: Product) -> tuple[str, str, str]:
    return (product.medicine.slug, product.form, product.strength)


def _differences(instance, wanted: dict[str, object], labels: dict[str, str]) -> list[tuple[str, str, str]]:
    return [
        (labels[name], show(getattr(instance, name)), show(value))
        for name, value in wanted.items()
        if getattr(instance, name) != value
    ]

"""What a checked file is: its rows (``PackRow``), its errors (``RowError``) and its changes (``Change``), as a
``Plan``; and what a refusal says."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from apothecary.core.text import plural
from catalogue.models import product_name


class ImportRefused(Exception):
    """The import was refused and nothing was written; ``errors`` says why, row by row."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(describe_refusal(errors))


@dataclass(frozen=True)
class RowError:
    """What is wrong in one cell of the file (``row`` None: the file as a whole; ``column`` "": the whole row)."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        place = f"Row {self.row}" if self.row is not None else "The file"
        if self.column:
            place += f", column {self.column}"
            if self.value:
                place += f" (“{self.value}”)"
        return f"{place}: {self.message}"


@dataclass(frozen=True)
class PackRow:
    """One valid row of the file: a pack and the product it belongs to."""

    row: int
    medicine: str
    form: str
    strength: str
    manufacturer: str
    ndc_product_code: str
    rxnorm_code: str
    product_active: bool
    sku: str
    units: int
    price: Decimal
    stock: int
    ndc: str

    @property
    def name(self) -> str:
        """The product's name, with the guide's slug for its title (``catalogue.models.product_name``)."""
        return product_name(self.medicine, self.strength, self.form)

    @property
    def product_key(self) -> tuple[str, str, str]:
        return (self.medicine, self.form, self.strength)

    @property
    def product_fields(self) -> dict[str, object]:
        """The product's own columns, by model field name."""
        return {
            "manufacturer": self.manufacturer,
            "ndc_product_code": self.ndc_product_code,
            "rxnorm_code": self.rxnorm_code,
            "active": self.product_active,
        }

    @property
    def pack_fields(self) -> dict[str, object]:
        return {"units": self.units, "price": self.price, "stock": self.stock, "ndc": self.ndc}


@dataclass
class Change:
    """What one row does to the catalogue: "price 9.50 → 8.75", "new pack", or nothing."""

    row: int
    sku: str
    product: str
    creates_product: bool = False
    creates_pack: bool = False
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new)

    @property
    def kind(self) -> str:
        if self.creates_product:
            return "create product"
        if self.creates_pack:
            return "create pack"
        return "update" if self.fields else "unchanged"

    @property
    def changed(self) -> bool:
        return self.kind != "unchanged"

    @property
    def description(self) -> str:
        """The change in words, without the row: "price 9.50 → 8.75; stock 12 → 40"."""
        parts = []
        if self.creates_product:
            parts.append(f"new product {self.product}")
        if self.creates_pack:
            parts.append("new pack: " + ", ".join(f"{column} {new}" for column, _, new in self.fields if new))
        else:
            parts.extend(f"{column} {old or '(blank)'} → {new or '(blank)'}" for column, old, new in self.fields)
        if self.needs_pharmacist:
            parts.append("not sold until a pharmacist approves it")
        return "; ".join(parts) or "unchanged"

    @property
    def needs_pharmacist(self) -> bool:
        """A new product or pack, or a pack's units or NDC changed: a pharmacist approves it before it is sold
        (an import a pharmacist applies is that approval)."""
        return self.creates_pack or any(column in ("units", "ndc") for column, _, _ in self.fields)

    def __str__(self) -> str:
        return f"Row {self.row}, SKU {self.sku} ({self.product}): {self.description}"


@dataclass
class Plan:
    """A checked CSV file: its rows, its errors and the changes it would make. Only a plan without errors applies."""

    rows: list[PackRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> list[Change]:
        return [change for change in self.changes if change.changed]

    @property
    def creates_products(self) -> bool:
        return any(change.creates_product for change in self.changes)

    def counts(self) -> Counter:
        """How many rows of each kind, and how many prices and stock levels change."""
        counts = Counter(change.kind for change in self.changes)
        for change in self.changes:
            if not change.creates_pack:
                counts.update(f"{column} changes" for column, _, _ in change.fields if column in ("price", "stock"))
        return counts

    @property
    def summary(self) -> str:
        """In words: "1 product created, 2 packs created, 3 packs updated (2 prices, 1 stock level), 4 unchanged."

        A new product always comes with a new pack (its row's), so packs created counts both kinds.
        """
        counts = self.counts()
        products, created_packs = counts["create product"], counts["create product"] + counts["create pack"]
        details = [plural(counts["price changes"], "price"), plural(counts["stock changes"], "stock level")]
        return (
            f"{plural(products, 'product')} created, {plural(created_packs, 'pack')} created, "
            f"{plural(counts['update'], 'pack')} updated ({', '.join(details)}), {counts['unchanged']} unchanged."
        )


def describe_refusal(errors: list[RowError]) -> str:
    """What a command or a message says about a refused file: "Nothing was imported: 2 errors in rows 3, 7."."""
    rows = sorted({error.row for error in errors if error.row is not None})
    if rows:
        where = f"row {rows[0]}" if len(rows) == 1 else "rows " + ", ".join(str(row) for row in rows)
        if any(error.row is None for error in errors):
            where = "the file and " + where
    else:
        where = "the file"
    return f"Nothing was imported: {plural(len(errors), 'error')} in {where}."

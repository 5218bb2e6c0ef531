"""The catalogue as a CSV file: export it, and import prices, stock, packs and products from it.

The format (export writes exactly what import reads):

- UTF-8 text, with or without a byte-order mark (spreadsheets add one), comma-separated,
  quoted as RFC 4180 says. The first row is the header and must name exactly these
  columns, in any order (names are not case-sensitive)::

      medicine          the guide's slug, e.g. "baclofen"; the guide must exist (the CSV never creates guides)
      form              the dosage form's code: tablet, odt, er_tablet, capsule, er_capsule, oral_solution,
                        oral_suspension, granules (the form's name, e.g. "Capsule", is accepted too)
      strength          as on the label: "10 mg", "5 mg/5 mL"
      manufacturer      may be blank
      ndc_product_code  the NDC labeler-product part; may be blank
      rxnorm_code       the RxCUI of this form and strength; may be blank
      product_active    yes or no (true/false and 1/0 are accepted); inactive products are hidden from the site
      sku               the pack's own code, unique in the catalogue: the key of the row
      units             tablets, capsules, packets or mL in the pack: a whole number, 1 or more
      price             the pack's price in the pharmacy's currency, e.g. 9.50: more than 0, at most two
                        decimals, no currency sign or thousands separator
      stock             packs on the shelf: a whole number, 0 or more
      ndc               the NDC package code; may be blank

- One row per pack. Row 1 is the header, so the first pack is row 2, as a spreadsheet numbers them.
  Rows with every cell blank are skipped.
- A row whose SKU exists updates that pack (units, price, stock, NDC) and its product's columns.
  A new SKU creates a pack, and creates its product (guide + form + strength, with the guide's active
  ingredients) when there is none. A product with a new pack, or a pack whose units or NDC change, is not sold
  until a pharmacist approves it: an import applied by a pharmacist is that approval; any other import leaves
  the products waiting (Products → "Waiting for a pharmacist's approval").
  A pack never moves to another product, rows of one product must agree on the product's columns,
  and a SKU appears once in a file. Nothing is deleted: packs the file does not name stay as they are.
- Text cells beginning with ``=``, ``+``, ``-`` or ``@`` are exported behind an apostrophe, so that a
  spreadsheet does not run them as formulas; import removes that apostrophe.

``read(file)`` checks a file against the catalogue without writing anything and returns a ``Plan``:
the rows, every error (row, column, value, why) and the change each row makes. ``apply(plan)``
writes a plan in one transaction, or nothing at all if any row has an error.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.db import IntegrityError, transaction

from accounts.roles import is_pharmacist
from apothecary.text import plural
from catalogue.models import DosageForm, Pack, Product
from catalogue.services import MAX_PRICE, MAX_STOCK, approve_product
from medicines.models import MedicinePage

logger = logging.getLogger(__name__)

# The columns, in the order export writes them, with what each holds (shown on the admin's import screen).
COLUMN_NOTES = {
    "medicine": "the guide's slug, e.g. baclofen; the guide must exist",
    "form": "dosage form code: " + ", ".join(DosageForm.values),
    "strength": "as on the label, e.g. 10 mg or 5 mg/5 mL",
    "manufacturer": "may be blank",
    "ndc_product_code": "NDC labeler-product code; may be blank",
    "rxnorm_code": "RxCUI of this form and strength; may be blank",
    "product_active": "yes or no; inactive products are hidden from the site",
    "sku": "the pack's unique code: the key of the row",
    "units": "tablets, capsules, packets or mL in the pack: 1 or more",
    "price": "the pack's price, e.g. 9.50: more than 0, at most two decimals, no currency sign",
    "stock": "packs on the shelf: a whole number, 0 or more",
    "ndc": "NDC package code; may be blank",
}
COLUMNS = tuple(COLUMN_NOTES)
PRODUCT_COLUMNS = ("manufacturer", "ndc_product_code", "rxnorm_code", "product_active")
PACK_COLUMNS = ("units", "price", "stock", "ndc")
MAX_ROWS = 20_000
LOG_ACTION = "catalogue.csv_import"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0"}
FORMS_BY_NAME = {
    **{form.value: form.value for form in DosageForm},
    **{form.label.lower(): form.value for form in DosageForm},
}
MAX_LENGTHS = {
    "medicine": 255,
    "strength": Product._meta.get_field("strength").max_length,
    "manufacturer": Product._meta.get_field("manufacturer").max_length,
    "ndc_product_code": Product._meta.get_field("ndc_product_code").max_length,
    "rxnorm_code": Product._meta.get_field("rxnorm_code").max_length,
    "sku": Pack._meta.get_field("sku").max_length,
    "ndc": Pack._meta.get_field("ndc").max_length,
}
REQUIRED_TEXT = ("medicine", "strength", "sku")
PRICE_PATTERN = re.compile(r"-?\d+(\.\d+)?")
INTEGER_PATTERN = re.compile(r"-?\d+")


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


# ---------------------------------------------------------------------------
# Export


def catalogue_rows() -> Iterable[list[str]]:
    """Every pack as a row of the format, after the header; read in one query, in medicine, form and strength order."""
    yield list(COLUMNS)
    packs = (
        Pack.objects.order_by("product__medicine__slug", "product__form", "product__strength", "units", "sku")
        .values_list(
            "product__medicine__slug",
            "product__form",
            "product__strength",
            "product__manufacturer",
            "product__ndc_product_code",
            "product__rxnorm_code",
            "product__active",
            "sku",
            "units",
            "price",
            "stock",
            "ndc",
        )
        .iterator(chunk_size=2000)
    )
    for slug, form, strength, manufacturer, ndc_product, rxnorm, active, sku, units, price, stock, ndc in packs:
        text = [_cell(value) for value in (slug, form, strength, manufacturer, ndc_product, rxnorm)]
        yield [*text, "yes" if active else "no", _cell(sku), str(units), f"{price:.2f}", str(stock), _cell(ndc)]


def write(stream: IO[str]) -> int:
    """Write the whole catalogue to a text stream (opened with ``newline=""``); returns the number of packs."""
    writer = csv.writer(stream)
    rows = iter(catalogue_rows())
    writer.writerow(next(rows))
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _cell(value: str) -> str:
    """A text cell, behind an apostrophe when a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# ---------------------------------------------------------------------------
# Reading and checking a file


def read(file: IO[bytes] | IO[str] | bytes | str) -> Plan:
    """Check a CSV file (an open file, its bytes, or its text) against the catalogue. Writes nothing.

    Every problem is reported, not only the first; the changes are given for the rows without errors.
    """
    try:
        text = _decode(file)
    except UnicodeDecodeError as exc:
        return Plan(
            errors=[
                RowError(
                    None,
                    "",
                    "",
                    f"it is not UTF-8 text (byte {exc.start + 1} cannot be read). "
                    "Save it from the spreadsheet as “CSV UTF-8”.",
                )
            ]
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return Plan(errors=[RowError(None, "", "", f"line {line} holds a NUL character: this is not a CSV text file.")])
    rows, errors = _parse(text)
    errors += _check_consistency(rows)
    snapshot = _Catalogue.load(rows)
    db_errors, changes = _compare(rows, snapshot)
    return Plan(rows=rows, errors=sorted(errors + db_errors, key=_error_order), changes=changes)


def _error_order(error: RowError) -> tuple[int, int]:
    return (-1 if error.row is None else error.row, COLUMNS.index(error.column) if error.column in COLUMNS else -1)


def _decode(file: IO[bytes] | IO[str] | bytes | str) -> str:
    data = file if isinstance(file, bytes | str) else file.read()
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return text.removeprefix("\ufeff")


def _parse(text: str) -> tuple[list[PackRow], list[RowError]]:
    """The file's valid rows, and the errors of the header and of the other rows."""
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[PackRow] = []
    errors: list[RowError] = []
    row_number = packs = 0
    try:
        header = next(records, None)
        row_number = 1
        if header is None or not any(cell.strip() for cell in header):
            message = "the file is empty; the first row must be the header: " + ", ".join(COLUMNS) + "."
            return [], [RowError(1, "", "", message)]
        columns = [name.strip().lower() for name in header]
        header_errors = _check_header(columns)
        if header_errors:
            return [], header_errors
        for row_number, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue
            packs += 1
            if packs > MAX_ROWS:
                errors.append(RowError(row_number, "", "", f"the file has more than {MAX_ROWS} packs; split it."))
                break
            if len(record) != len(columns):
                message = f"it has {plural(len(record), 'cell')}, the header has {len(columns)}"
                errors.append(RowError(row_number, "", "", message + "."))
                continue
            row, row_errors = _parse_row(row_number, dict(zip(columns, record, strict=True)))
            errors.extend(row_errors)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        errors.append(RowError(row_number + 1, "", "", f"the CSV cannot be read here ({exc}); check its quotes."))
    if not rows and not errors:
        errors.append(RowError(None, "", "", "it has a header but no packs: nothing to import."))
    return rows, errors


def _check_header(columns: list[str]) -> list[RowError]:
    errors = []
    unknown = [name for name in columns if name not in COLUMNS]
    missing = [name for name in COLUMNS if name not in columns]
    repeated = sorted(name for name, count in Counter(columns).items() if count > 1 and name in COLUMNS)
    expected = "The columns are: " + ", ".join(COLUMNS) + "."
    if unknown:
        names = ", ".join(f"“{name}”" for name in unknown)
        errors.append(RowError(1, "", "", f"unknown column{'s' if len(unknown) > 1 else ''} {names}. {expected}"))
    if missing:
        errors.append(RowError(1, "", "", f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}."))
    if repeated:
        errors.append(RowError(1, "", "", f"column{'s' if len(repeated) > 1 else ''} {', '.join(repeated)} twice."))
    return errors


def _parse_row(row_number: int, cells: dict[str, str]) -> tuple[PackRow | None, list[RowError]]:
    """One row's cells as a PackRow, or the errors of each bad cell."""
    values: dict[str, object] = {}
    errors: list[RowError] = []
    parsers = {
        "form": _form,
        "product_active": _yes_no,
        "units": lambda value: _integer(value, minimum=1),
        "stock": lambda value: _integer(value, minimum=0),
        "price": _price,
    }
    for column in COLUMNS:
        raw = cells[column].strip()
        value = _uncell(raw)
        try:
            values[column] = parsers[column](value) if column in parsers else _text(column, value)
        except ValueError as exc:
            errors.append(RowError(row_number, column, raw, str(exc)))
    if errors:
        return None, errors
    return PackRow(row=row_number, **values), []


def _uncell(value: str) -> str:
    return value[1:].strip() if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def _text(column: str, value: str) -> str:
    if column in REQUIRED_TEXT and not value:
        raise ValueError("required; it is blank.")
    if len(value) > MAX_LENGTHS[column]:
        raise ValueError(f"at most {MAX_LENGTHS[column]} characters; it has {len(value)}.")
    return value


def _form(value: str) -> str:
    form = FORMS_BY_NAME.get(value.lower())
    if form is None:
        raise ValueError("not a dosage form; use one of " + ", ".join(DosageForm.values) + ".")
    return form


def _yes_no(value: str) -> bool:
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ValueError("write yes or no.")


def _integer(value: str, *, minimum: int) -> int:
    if not value:
        raise ValueError(f"required: a whole number, {minimum} or more.")
    if not INTEGER_PATTERN.fullmatch(value):
        raise ValueError(f"not a whole number; write it with digits only, {minimum} or more.")
    number = int(value)
    if number < minimum:
        raise ValueError(f"must be {minimum} or more.")
    if number > MAX_STOCK:
        raise ValueError(f"must be at most {MAX_STOCK}.")
    return number


def _price(value: str) -> Decimal:
    if not value:
        raise ValueError("required: the pack's price, e.g. 9.50.")
    if not PRICE_PATTERN.fullmatch(value):
        raise ValueError("not a price; write digits with a dot before the cents, e.g. 9.50, with no currency sign.")
    price = Decimal(value)
    if price <= 0:
        raise ValueError("must be more than 0.")
    if -price.as_tuple().exponent > 2:
        raise ValueError("at most two decimal places (cents).")
    if price > MAX_PRICE:
        raise ValueError(f"must be at most {MAX_PRICE}.")
    return price.quantize(Decimal("0.01"))


def _check_consistency(rows: list[PackRow]) -> list[RowError]:
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
                given = f"“{_show(theirs)}”" if _show(theirs) else "a blank"
                message = (
                    f"row {first.row} gives {given} for the same product ({_product_name(row)}); "
                    "rows of one product must agree."
                )
                errors.append(RowError(row.row, column, _show(mine), message))
    return errors


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _product_name(row: PackRow) -> str:
    return f"{row.medicine} {row.strength} {DosageForm(row.form).label.lower()}"


# ---------------------------------------------------------------------------
# Comparing the rows with the catalogue


@dataclass
class _Catalogue:
    """The guides, products and packs a file's rows name, read in three or four queries (locked when applying)."""

    medicines: dict[str, list[MedicinePage]]
    products: dict[tuple[str, str, str], Product]
    packs: dict[str, Pack]

    @classmethod
    def load(cls, rows: list[PackRow], *, lock: bool = False) -> _Catalogue:
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


def _compare(rows: list[PackRow], catalogue: _Catalogue) -> tuple[list[RowError], list[Change]]:
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
                f"this SKU is a pack of {pack.product}, not of {_product_name(row)}; a pack cannot move to "
                "another product (give the new pack a new SKU)."
            )
            errors.append(RowError(row.row, "sku", row.sku, message))
            continue
        product = catalogue.products.get(row.product_key)
        change = Change(row=row.row, sku=row.sku, product=str(product) if product else _new_name(row, guides[0]))
        if product is None:
            change.creates_product = row.product_key not in new_products
            new_products.add(row.product_key)
        elif row.product_key not in changed_products:
            # A product's own columns are reported once, on its first row.
            changed_products.add(row.product_key)
            change.fields += _differences(product, row.product_fields, PRODUCT_LABELS)
        if pack is None:
            change.creates_pack = True
            change.fields += [(column, "", _show(getattr(row, column))) for column in PACK_COLUMNS]
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


def _new_name(row: PackRow, medicine: MedicinePage) -> str:
    return f"{medicine.title} {row.strength} {DosageForm(row.form).label.lower()}"


def _differences(instance, wanted: dict[str, object], labels: dict[str, str]) -> list[tuple[str, str, str]]:
    return [
        (labels[name], _show(getattr(instance, name)), _show(value))
        for name, value in wanted.items()
        if getattr(instance, name) != value
    ]


# ---------------------------------------------------------------------------
# Applying


def apply(plan: Plan, *, user=None, source: str = "") -> Plan:
    """Write a checked plan in one transaction, or nothing at all; returns the plan of what was written.

    Refused (``ImportRefused``, nothing written) when the plan has errors, or when the catalogue
    changed since it was read so that a row no longer fits (re-checked with the products and packs
    locked, as ``orders.services.place_order`` locks the packs it takes stock from). Each product
    touched gets a Wagtail log entry (action ``catalogue.csv_import``) listing its changes. Products
    it creates wait for a pharmacist's approval, unless ``user`` is a pharmacist: then it approves them.
    """
    if not plan.ok:
        raise ImportRefused(plan.errors)
    try:
        with transaction.atomic():
            catalogue = _Catalogue.load(plan.rows, lock=True)
            errors, changes = _compare(plan.rows, catalogue)
            if errors:
                raise ImportRefused(errors)
            touched, created = _write(plan.rows, catalogue)
            _log(touched, changes, user=user, source=source)
            if is_pharmacist(user):
                for product in Product.objects.filter(pk__in=touched, approved_by__isnull=True):
                    approve_product(product, user)
    except IntegrityError as exc:
        logger.warning("CSV import from %s refused by the database: %s", source or "a file", exc)
        message = "the catalogue changed while importing (another import or edit?); check the file again."
        raise ImportRefused([RowError(None, "", "", message)]) from exc
    written = Plan(rows=plan.rows, changes=changes)
    logger.info("CSV import from %s by %s: %s", source or "a file", user or "the command line", written.summary)
    return written


def _write(rows: list[PackRow], catalogue: _Catalogue) -> tuple[dict[int, tuple[Product, list[int]]], list[Product]]:
    """Create and update the products and packs; returns the touched products with the rows that touched them,
    and the products created."""
    touched: dict[int, tuple[Product, list[int]]] = {}
    created: list[Product] = []
    for row in rows:
        product = catalogue.products.get(row.product_key)
        product_changed = False
        if product is None:
            medicine = catalogue.medicines[row.medicine][0]
            product = Product.objects.create(
                medicine=medicine, form=row.form, strength=row.strength, **row.product_fields
            )
            catalogue.products[row.product_key] = product
            created.append(product)
            product_changed = True
        else:
            product_changed = _save_changes(product, row.product_fields)
        pack = catalogue.packs.get(row.sku)
        if pack is None:
            pack = Pack.objects.create(product=product, sku=row.sku, **row.pack_fields)
            catalogue.packs[row.sku] = pack
            product_changed = True
        else:
            product_changed = _save_changes(pack, row.pack_fields) or product_changed
        if product_changed:
            touched.setdefault(product.pk, (product, []))[1].append(row.row)
    return touched, created


def _save_changes(instance, wanted: dict[str, object]) -> bool:
    changed = [name for name, value in wanted.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, wanted[name])
    if changed:
        instance.save(update_fields=changed)
    return bool(changed)


def _log(touched: dict[int, tuple[Product, list[int]]], changes: list[Change], *, user, source: str) -> None:
    from wagtail.log_actions import log

    by_row = {change.row: change for change in changes}
    import_id = uuid.uuid4()
    for product, row_numbers in touched.values():
        data = {"source": source, "changes": [str(by_row[number]) for number in row_numbers]}
        log(instance=product, action=LOG_ACTION, user=user, uuid=import_id, data=data)

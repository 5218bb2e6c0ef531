"""The columns of the catalogue's CSV format, and how a text cell is kept from running as a spreadsheet formula."""

from __future__ import annotations

from decimal import Decimal

from catalogue.models import DosageForm

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


def cell(value: str) -> str:
    """A text cell, behind an apostrophe when a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def uncell(value: str) -> str:
    """A cell as written by ``cell``, without the apostrophe."""
    return value[1:].strip() if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)

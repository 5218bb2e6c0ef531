"""One row's cells checked and read: text lengths, the dosage form, yes or no, units, price and stock."""

from __future__ import annotations

from decimal import Decimal

from catalogue.csv.columns import COLUMNS, uncell
from catalogue.csv.plan import PackRow, RowError
from catalogue.models import DosageForm, Pack, Product
from catalogue.pricing import AmountError, parse_price, parse_stock, parse_units

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


# The CSV's own words for what the shared parser (``catalogue.pricing``) refuses: a cell's message follows
# "Row 3, column price (“abc”): ".
PRICE_WORDS = {
    "blank": "required: the pack's price, e.g. 9.50.",
    "malformed": "not a price; write digits with a dot before the cents, e.g. 9.50, with no currency sign.",
    "too_small": "must be more than 0.",
    "too_precise": "at most two decimal places (cents).",
    "too_large": "must be at most {limit}.",
}
NUMBER_WORDS = {
    "blank": "required: a whole number, {minimum} or more.",
    "malformed": "not a whole number; write it with digits only, {minimum} or more.",
    "too_small": "must be {minimum} or more.",
    "too_large": "must be at most {limit}.",
}


def parse_row(row_number: int, cells: dict[str, str]) -> tuple[PackRow | None, list[RowError]]:
    """One row's cells as a PackRow, or the errors of each bad cell."""
    values: dict[str, object] = {}
    errors: list[RowError] = []
    parsers = {
        "form": _form,
        "product_active": _yes_no,
        "units": lambda value: _number(parse_units, value, minimum=1),
        "stock": lambda value: _number(parse_stock, value, minimum=0),
        "price": _price,
    }
    for column in COLUMNS:
        raw = cells[column].strip()
        value = uncell(raw)
        try:
            values[column] = parsers[column](value) if column in parsers else _text(column, value)
        except ValueError as exc:
            errors.append(RowError(row_number, column, raw, str(exc)))
    if errors:
        return None, errors
    return PackRow(row=row_number, **values), []


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


def _number(parse, value: str, *, minimum: int) -> int:
    try:
        return parse(value)
    except AmountError as exc:
        raise ValueError(NUMBER_WORDS[exc.reason].format(minimum=minimum, limit=exc.limit)) from None


def _price(value: str) -> Decimal:
    try:
        return parse_price(value)
    except AmountError as exc:
        raise ValueError(PRICE_WORDS[exc.reason].format(limit=exc.limit)) from None

"""One parser for a pack's price and stock (``catalogue.pricing``): the admin's bulk update, the CSV import and the
staff API's schema refuse and accept the same values."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from api.schemas import PackUpdateRow
from catalogue.csv.cells import parse_row
from catalogue.pricing import MAX_PRICE, MAX_STOCK, AmountError, parse_price, parse_stock, parse_units


@pytest.mark.parametrize(
    "value, reason",
    [
        ("", "blank"),
        ("abc", "malformed"),
        ("9,50", "malformed"),
        (" 9.50", "malformed"),
        ("1e2", "malformed"),
        ("٣", "malformed"),
        (1.5, "float"),
        ("0", "too_small"),
        ("-1.00", "too_small"),
        ("9.999", "too_precise"),
        (str(MAX_PRICE + 1), "too_large"),
    ],
)
def test_a_price_is_refused_with_the_rule_it_breaks(value, reason):
    with pytest.raises(AmountError) as refused:
        parse_price(value)
    assert refused.value.reason == reason


def test_a_price_is_a_decimal_to_the_cent():
    assert parse_price("9.5") == Decimal("9.50") and parse_price(Decimal("15.3")) == Decimal("15.30")
    assert parse_price(MAX_PRICE) == MAX_PRICE and parse_price(3) == Decimal("3.00")


def test_stock_and_units_are_whole_numbers_in_range():
    assert parse_stock("0") == 0 and parse_stock(12) == 12 and parse_stock(4.0) == 4 and parse_units("30") == 30
    for value, message in [("-1", "below zero"), (2.5, "whole number"), (True, "whole number"), ("+5", "not a whole")]:
        with pytest.raises(AmountError, match=message):
            parse_stock(value)
    with pytest.raises(AmountError, match="Stock must not exceed"):
        parse_stock(MAX_STOCK + 1)
    with pytest.raises(AmountError, match="1 or more"):
        parse_units("0")


@pytest.mark.parametrize("price", ["0", "0.001", "9.999", "00.000"])
def test_the_api_and_the_csv_refuse_what_the_parser_refuses(price):
    with pytest.raises(ValidationError):
        PackUpdateRow(sku="BAC-10-30", price=price)
    cells = {
        "medicine": "baclofen",
        "form": "tablet",
        "strength": "10 mg",
        "manufacturer": "",
        "ndc_product_code": "",
        "rxnorm_code": "",
        "product_active": "yes",
        "sku": "BAC-10-30",
        "units": "30",
        "price": price,
        "stock": "1",
        "ndc": "",
    }
    row, errors = parse_row(2, cells)
    assert row is None and [error.column for error in errors] == ["price"]

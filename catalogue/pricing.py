"""What a pack's price and stock may be: the one parser the admin, the CSV import and the API all call.

``parse_price`` and ``parse_stock`` (and ``parse_units``) take text as a person typed it, or a number, and give
the value to store, or raise ``AmountError``: a ``ValueError`` whose ``reason`` says which rule refused it, so a
caller may word it its own way (the CSV import does, for its cell-by-cell messages).
"""

from __future__ import annotations

import re
from decimal import Decimal

# The largest values the pack columns hold on every database we support.
MAX_PRICE = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)
MAX_STOCK = 2_147_483_647  # PositiveIntegerField on PostgreSQL

# Digits only (ASCII), an optional minus sign (refused later as "not more than 0"), a dot before the cents.
PRICE_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
WHOLE_NUMBER_TEXT = re.compile(r"-?[0-9]+")


class AmountError(ValueError):
    """A price or number of packs refused by a rule; ``reason`` is one of ``REASONS``, ``limit`` the bound."""

    REASONS = ("blank", "float", "malformed", "too_small", "too_precise", "too_large")

    def __init__(self, reason: str, message: str, limit=None):
        self.reason, self.limit = reason, limit
        super().__init__(message)


def parse_price(value) -> Decimal:
    """A pack price from text ("15.30", no sign or spaces) or a Decimal or int: more than 0, at most two decimal
    places, at most ``MAX_PRICE``. Raises ``AmountError``."""
    if isinstance(value, bool | float):
        raise AmountError("float", "Give the price as text, e.g. “15.30”.")
    if value is None or value == "":
        raise AmountError("blank", "Give a price, e.g. 15.30.")
    if isinstance(value, Decimal | int):
        price = Decimal(value)
    elif PRICE_TEXT.fullmatch(str(value)):
        price = Decimal(str(value))
    else:
        raise AmountError("malformed", f"“{value}” is not a price; write it like 15.30.")
    if not price.is_finite():
        raise AmountError("malformed", f"“{value}” is not a price; write it like 15.30.")
    if price <= 0:
        raise AmountError("too_small", "A price must be more than 0.", Decimal(0))
    if price.as_tuple().exponent < -2:
        raise AmountError("too_precise", "A price has at most two decimal places.")
    if price > MAX_PRICE:
        raise AmountError("too_large", f"A price must not exceed {MAX_PRICE}.", MAX_PRICE)
    return price.quantize(Decimal("0.01"))


def parse_whole_number(value, *, minimum: int, what: str = "packs") -> int:
    """A whole number from text (digits only) or an int (or a whole float), ``minimum`` to ``MAX_STOCK``.
    Raises ``AmountError``."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise AmountError("float", f"A whole number of {what}, please.")
    if value is None or value == "":
        raise AmountError("blank", f"Give a whole number of {what}, {minimum} or more.", minimum)
    if isinstance(value, int | float):
        number = int(value)
    elif WHOLE_NUMBER_TEXT.fullmatch(str(value)):
        number = int(str(value))
    else:
        raise AmountError("malformed", f"“{value}” is not a whole number of {what}.", minimum)
    if number < minimum:
        raise AmountError("too_small", f"Give {minimum} or more {what}.", minimum)
    if number > MAX_STOCK:
        raise AmountError("too_large", f"At most {MAX_STOCK} {what}.", MAX_STOCK)
    return number


def parse_stock(value) -> int:
    """A pack's stock: a whole number of packs, 0 or more. Raises ``AmountError``."""
    try:
        return parse_whole_number(value, minimum=0)
    except AmountError as exc:
        raise AmountError(exc.reason, STOCK_MESSAGES.get(exc.reason, str(exc)), exc.limit) from None


def parse_units(value) -> int:
    """Units in a pack (tablets, capsules, packets or mL): a whole number, 1 or more. Raises ``AmountError``."""
    return parse_whole_number(value, minimum=1, what="units")


STOCK_MESSAGES = {
    "float": "Stock is a whole number of packs.",
    "too_small": "Stock cannot be below zero.",
    "too_large": f"Stock must not exceed {MAX_STOCK}.",
}

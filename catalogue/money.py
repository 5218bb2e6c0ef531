"""Money is Decimal on the server and formatted with Babel for the reader."""

from decimal import Decimal

from babel.numbers import format_currency
from django.conf import settings


def format_money(amount: Decimal, currency: str | None = None, locale: str | None = None) -> str:
    """``format_money(Decimal("0.51"))`` gives "$0.51" in en_US and "0,51 $" in de_DE."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be a Decimal, not {type(amount).__name__}")
    return format_currency(amount, currency or settings.PHARMACY_CURRENCY, locale=locale or settings.PHARMACY_LOCALE)

"""The whole catalogue written as CSV, one row per pack."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

from catalogue.csv.columns import COLUMNS, cell
from catalogue.models import Pack


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
        text = [cell(value) for value in (slug, form, strength, manufacturer, ndc_product, rxnorm)]
        yield [*text, "yes" if active else "no", cell(sku), str(units), f"{price:.2f}", str(stock), cell(ndc)]


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

"""Applying a checked plan: products and packs written in one transaction, or nothing at all, and logged."""

from __future__ import annotations

import logging
import uuid

from django.db import IntegrityError, transaction

from apothecary.core.roles import is_pharmacist
from catalogue.csv.checking import Catalogue, compare
from catalogue.csv.columns import LOG_ACTION
from catalogue.csv.plan import Change, ImportRefused, PackRow, Plan, RowError
from catalogue.models import Pack, Product
from catalogue.services import approve_product, save_changes

logger = logging.getLogger("catalogue.csv")


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
            catalogue = Catalogue.load(plan.rows, lock=True)
            errors, changes = compare(plan.rows, catalogue)
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


def _write(rows: list[PackRow], catalogue: Catalogue) -> tuple[dict[int, tuple[Product, list[int]]], list[Product]]:
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
            product_changed = bool(save_changes(product, row.product_fields))
        pack = catalogue.packs.get(row.sku)
        if pack is None:
            pack = Pack.objects.create(product=product, sku=row.sku, **row.pack_fields)
            catalogue.packs[row.sku] = pack
            product_changed = True
        else:
            product_changed = bool(save_changes(pack, row.pack_fields)) or product_changed
        if product_changed:
            touched.setdefault(product.pk, (product, []))[1].append(row.row)
    return touched, created


def _log(touched: dict[int, tuple[Product, list[int]]], changes: list[Change], *, user, source: str) -> None:
    from wagtail.log_actions import log

    by_row = {change.row: change for change in changes}
    import_id = uuid.uuid4()
    for product, row_numbers in touched.values():
        data = {"source": source, "changes": [str(by_row[number]) for number in row_numbers]}
        log(instance=product, action=LOG_ACTION, user=user, uuid=import_id, data=data)

"""Checkouts at the same moment on PostgreSQL: stock never goes below zero and a double submit makes one order.

Real threads, each with its own database connection, released together by a barrier. Transactional tests
flush the database, so each test builds its own page tree and catalogue.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 24


def one_pack_with_stock(stock: int):
    from catalogue.models import DosageForm
    from home.services import build_site
    from medicines.models import LegalStatus
    from tests.factories import make_drug_class, make_medicine, make_product

    pages = build_site()
    drug_class = make_drug_class(pages["classes"])
    medicine = make_medicine(pages["medicines"], drug_class, "Paracetamol", legal_status=LegalStatus.GENERAL_SALE)
    product = make_product(medicine, strength="500 mg", form=DosageForm.TABLET, packs=((16, "2.50", stock),))
    return product.packs.get()


def run_together(tokens: list[str], pack) -> tuple[list, list]:
    """Each token's checkout in its own thread, all released at once; returns (orders, errors)."""
    from orders import services
    from tests.factories import ADDRESS

    barrier = threading.Barrier(len(tokens))
    lock = threading.Lock()
    orders, errors = [], []

    def checkout(token: str) -> None:
        try:
            barrier.wait(timeout=30)
            order = services.place_order(
                quantities={pack.pk: 1},
                customer=None,
                email="guest@example.com",
                address=dict(ADDRESS),
                payment_method="pay_on_delivery",
                checkout_token=token,
            )
            with lock:
                orders.append(order)
        except Exception as exc:  # collected and checked by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a checkout hung"
    return orders, errors


def test_twenty_checkouts_for_five_packs():
    from orders.models import Order
    from orders.services import OutOfStock

    assert connection.vendor == "postgresql"
    pack = one_pack_with_stock(5)
    orders, errors = run_together([uuid.uuid4().hex for _ in range(THREADS)], pack)
    assert len(orders) == 5, errors
    assert len(errors) == THREADS - 5
    assert all(isinstance(error, OutOfStock) and "Not enough stock" in str(error) for error in errors), errors
    pack.refresh_from_db()
    assert pack.stock == 0
    assert Order.objects.count() == 5
    assert len({order.pk for order in orders}) == 5


def test_a_double_submit_at_the_same_moment_makes_one_order():
    from orders.models import Order, OrderLine

    pack = one_pack_with_stock(5)
    orders, errors = run_together(["same-checkout"] * 2, pack)
    assert errors == []
    assert len(orders) == 2 and orders[0].pk == orders[1].pk
    assert Order.objects.count() == 1 and OrderLine.objects.count() == 1
    pack.refresh_from_db()
    assert pack.stock == 4

"""The staff API: bulk prices and stock (all or nothing, errors named by row), and the review queue."""

from __future__ import annotations

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from api.tests.conftest import bearer
from catalogue.services import PackUpdateError, update_packs

pytestmark = pytest.mark.django_db

BULK = "/api/staff/stock-and-prices"
QUEUE = "/api/staff/orders/awaiting-review"


@pytest.fixture
def packs(catalogue):
    tablets = catalogue["tablets"]
    return {
        "thirty": tablets.packs.get(units=30),
        "ninety": tablets.packs.get(units=90),
        "paracetamol": catalogue["paracetamol_tablets"].packs.get(),
    }


def post(client, raw, rows):
    return client.post(BULK, {"rows": rows}, content_type="application/json", **bearer(raw))


def current(pack) -> tuple[Decimal, int]:
    pack.refresh_from_db()
    return pack.price, pack.stock


# ---------------------------------------------------------------------------
# The service


def test_update_packs_sets_price_and_or_stock(packs):
    changes = update_packs(
        [
            {"sku": packs["thirty"].sku, "price": "14.99"},
            {"sku": packs["ninety"].sku, "stock": 7},
            {"sku": packs["paracetamol"].sku, "price": Decimal("2.50"), "stock": "50"},  # as it was
        ]
    )
    assert current(packs["thirty"]) == (Decimal("14.99"), 10)
    assert current(packs["ninety"]) == (Decimal("39.90"), 7)
    assert [change.changed for change in changes] == [True, True, False]
    assert (changes[0].old_price, changes[0].new_price) == (Decimal("15.30"), Decimal("14.99"))


def test_update_packs_is_all_or_nothing_and_names_every_bad_row(packs):
    with pytest.raises(PackUpdateError) as refused:
        update_packs(
            [
                {"sku": packs["thirty"].sku, "price": "1.00", "stock": 1},  # fine, but not applied
                {"sku": "NO-SUCH-SKU", "price": "1.00"},
                {"sku": packs["ninety"].sku, "price": "0", "stock": -1},
                {"sku": packs["paracetamol"].sku},
                {"sku": packs["thirty"].sku, "stock": 2},
                {"sku": "", "price": "1.234"},
                {"sku": packs["paracetamol"].sku[:-1] + "X", "price": "abc"},
            ]
        )
    errors = refused.value.errors
    assert set(errors) == {1, 2, 3, 4, 5, 6}
    assert errors[1] == {"sku": "No pack has SKU NO-SUCH-SKU."}
    assert errors[2] == {"price": "A price must be more than 0.", "stock": "Stock cannot be below zero."}
    assert errors[3] == {"price": "Give a new price, a new stock, or both."}
    assert "more than one row" in errors[4]["sku"]
    assert set(errors[5]) == {"sku", "price"} and "two decimal places" in errors[5]["price"]
    assert set(errors[6]) == {"sku", "price"}
    assert current(packs["thirty"]) == (Decimal("15.30"), 10)  # nothing changed


# ---------------------------------------------------------------------------
# POST /api/staff/stock-and-prices


def test_bulk_update_through_the_api_and_its_log(client, packs, make_token, staff_member):
    token, raw = make_token(scopes=["catalogue:write"])
    response = post(
        client,
        raw,
        [{"sku": packs["thirty"].sku, "price": "12.00", "stock": 4}, {"sku": packs["ninety"].sku, "stock": 0}],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "updated": 1,
        "rows": [
            {"sku": packs["thirty"].sku, "price": "12.00", "stock": 4, "changed": True},
            {"sku": packs["ninety"].sku, "price": "39.90", "stock": 0, "changed": False},
        ],
    }
    assert current(packs["thirty"]) == (Decimal("12.00"), 4)
    [entry] = ModelLogEntry.objects.filter(action="api.update_packs")
    assert entry.user == staff_member
    assert entry.object_id == str(packs["thirty"].product_id)
    assert entry.data["sku"] == packs["thirty"].sku
    assert entry.data["price"] == ["15.30", "12.00"] and entry.data["stock"] == [10, 4]
    assert entry.data["token"] == token.prefix
    # The public API shows the new price at once.
    public = client.get(f"/api/products/{packs['thirty'].product_id}").json()
    assert public["packs"][0]["price"]["amount"] == "12.00"


def test_bulk_update_with_a_bad_row_changes_nothing_and_names_it(client, packs, make_token):
    _, raw = make_token(scopes=["catalogue:write"])
    response = post(
        client,
        raw,
        [{"sku": packs["thirty"].sku, "price": "12.00"}, {"sku": "NO-SUCH-SKU", "stock": 3}],
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "rows_invalid"
    assert error["fields"] == {"rows.1.sku": "No pack has SKU NO-SUCH-SKU."}
    assert "Nothing was changed" in error["message"]
    assert current(packs["thirty"]) == (Decimal("15.30"), 10)
    assert ModelLogEntry.objects.filter(action="api.update_packs_refused").count() == 1
    assert not ModelLogEntry.objects.filter(action="api.update_packs").exists()


def test_bulk_update_refuses_malformed_rows_by_field(client, packs, make_token):
    _, raw = make_token(scopes=["catalogue:write"])
    response = post(client, raw, [{"sku": packs["thirty"].sku, "price": "12,00", "stock": -2}])
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"rows.0.price", "rows.0.stock"}
    assert post(client, raw, []).status_code == 422  # at least one row
    assert set(post(client, raw, [{"sku": "BAC\x00", "stock": 1}]).json()["error"]["fields"]) == {"rows.0.sku"}
    assert current(packs["thirty"]) == (Decimal("15.30"), 10)


def test_bulk_update_needs_the_catalogue_scope(client, packs, make_token):
    _, raw = make_token(scopes=["orders:read"])
    assert post(client, raw, [{"sku": packs["thirty"].sku, "stock": 1}]).status_code == 403
    assert current(packs["thirty"]) == (Decimal("15.30"), 10)


# ---------------------------------------------------------------------------
# GET /api/staff/orders/awaiting-review


def test_orders_awaiting_review(client, private_order_in_review, make_token, catalogue):
    from orders.models import Order

    _, raw = make_token(scopes=["orders:read"])
    other = Order.objects.exclude(pk=private_order_in_review.pk)
    assert not other.exists()
    response = client.get(QUEUE, **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [order] = body["items"]
    assert order["number"] == private_order_in_review.number
    assert order["status"] == {"code": "in_review", "label": "In pharmacist review"}
    assert order["has_prescription"] is True
    assert order["in_review_since"] is not None
    assert order["total"]["amount"] == "15.30"
    [line] = order["lines"]
    assert (line["sku"], line["quantity"], line["requires_prescription"]) == (
        catalogue["tablets"].packs.get(units=30).sku,
        1,
        True,
    )
    [entry] = ModelLogEntry.objects.filter(action="api.read_orders")
    assert entry.data["orders"] == [private_order_in_review.number]


def test_orders_awaiting_review_leaves_out_other_statuses(client, private_order_in_review, make_token, staff_member):
    from orders import services

    _, raw = make_token(scopes=["orders:read"])
    services.cancel(private_order_in_review, by=staff_member, reason="Asked by the patient.")
    assert client.get(QUEUE, **bearer(raw)).json()["items"] == []

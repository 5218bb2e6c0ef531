"""The order listing and the order screen in the Wagtail admin, and who may see them."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from orders.models import Order, OrderStatus
from orders.tests.admin.conftest import (
    ORDERS,
    in_review,
    place,
    url,
)
from tests.factories import (
    make_user,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# The order listing and screen


def test_orders_listing_filters_by_status_with_counts_and_searches(pharmacist_client, rx_pack, otc_pack, patient):
    review = in_review([(rx_pack, 1)], patient)
    shop = place([(otc_pack, 1)], None)  # a guest's over-the-counter order: approved at once
    other = make_user("quinn@example.com", first_name="Quinn", last_name="Other")
    quinn = place([(otc_pack, 2)], other)

    response = pharmacist_client.get(ORDERS)
    assert response.status_code == 200
    html = response.content.decode()
    for order in (review, shop, quinn):
        assert order.number in html
    assert html.index(quinn.number) < html.index(shop.number) < html.index(review.number)  # newest first
    assert "In pharmacist review (1)" in html and "Approved (2)" in html

    filtered = pharmacist_client.get(ORDERS, {"status": OrderStatus.IN_REVIEW}).content.decode()
    assert review.number in filtered and shop.number not in filtered

    for query, expected in ((review.number, review), ("quinn@example", quinn), ("robin", shop)):
        found = pharmacist_client.get(ORDERS, {"q": query}).content.decode()
        assert expected.number in found
    by_email = pharmacist_client.get(ORDERS, {"q": "quinn@example"}).content.decode()
    assert review.number not in by_email


def test_orders_listing_has_no_n_plus_one(pharmacist_client, otc_pack, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    customer = make_user("many@example.com")
    place([(otc_pack, 1)], customer)
    with CaptureQueriesContext(connection) as one:
        assert pharmacist_client.get(ORDERS).status_code == 200
    for _ in range(6):
        place([(otc_pack, 1)], make_user(f"{uuid.uuid4().hex[:8]}@example.com"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert pharmacist_client.get(ORDERS).status_code == 200


def test_order_screen_shows_the_order(pharmacist_client, approved_order, rx_pack):
    approved_order.payment_reference = "PAY-REF-42"
    approved_order.save(update_fields=["payment_reference"])
    response = pharmacist_client.get(url("inspect", approved_order))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        approved_order.number,
        "robin@example.com",
        "1 High Street",
        "Springfield 12345",
        "Baclofen",
        "$15.30",
        "$30.60",
        "Rx",
        "Pay on delivery",
        "PAY-REF-42",
        "In pharmacist review",
        "Sam Rivera",  # who moved it to approved
        "Dispense…",
        "Cancel order",
        "Record payment",
    ):
        assert text in html, text
    assert "Mark shipped" not in html and "Mark refunded" not in html


def test_orders_are_never_added_edited_or_deleted_in_the_admin(pharmacist_client, order_in_review):
    assert pharmacist_client.get("/admin/orders/new/").status_code == 404
    assert pharmacist_client.get(f"/admin/orders/edit/{order_in_review.pk}/").status_code == 404
    assert pharmacist_client.get(f"/admin/orders/delete/{order_in_review.pk}/").status_code == 404


def test_people_without_order_permissions_cannot_see_orders(site_pages, order_in_review):
    editor = make_user("editor@example.com", groups=["Admin only"])
    Group.objects.get(name="Admin only").permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client = Client()
    client.force_login(editor)
    # Wagtail's own screens send people without permission back to the dashboard with a message.
    for screen in (ORDERS, url("inspect", order_in_review)):
        response = client.get(screen)
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.post(url("cancel", order_in_review), {"reason": "No"}).status_code == 403
    assert Order.objects.get().status == OrderStatus.IN_REVIEW
    assert 'href="/admin/orders/"' not in client.get("/admin/").content.decode()

"""The staff API: bulk price and stock updates, and the orders waiting for a pharmacist.

Every operation needs ``Authorization: Bearer <token>`` with the operation's
scope (``api.auth.StaffToken``), is limited per token (``api.ratelimit``) and
is logged in the admin's history as done by the token's owner.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Prefetch, Q
from ninja import Query, Router

from api import representations as represent
from api import services
from api.auth import StaffToken
from api.errors import ApiError, Error
from api.models import Scope
from api.pagination import PageQuery, page_of
from api.ratelimit import staff_throttle
from api.schemas import OrdersForReview, PackUpdateRequest, PackUpdateResponse, PackUpdateResult
from catalogue import services as catalogue_services
from catalogue.models import Product
from orders.models import Order, OrderLine, OrderStatus

router = Router(tags=["staff"], throttle=[staff_throttle])

STAFF_ERRORS = {401: Error, 403: Error, 422: Error, 429: Error}


def log_pack_changes(token, changes) -> None:
    """One history entry per pack changed, on its product; one on the token when nothing changed."""
    changed = [change for change in changes if change.changed]
    products = Product.objects.in_bulk({change.product_id for change in changed})
    for change in changed:
        services.log_api_action(
            token,
            "api.update_packs",
            instance=products[change.product_id],
            data={
                "sku": change.sku,
                "price": [str(change.old_price), str(change.new_price)],
                "stock": [change.old_stock, change.new_stock],
            },
        )
    if not changed:
        services.log_api_action(token, "api.update_packs", data={"rows": len(changes), "changed": 0})


@router.post(
    "/stock-and-prices",
    response={200: PackUpdateResponse, 400: Error, **STAFF_ERRORS},
    auth=StaffToken(Scope.CATALOGUE_WRITE),
    url_name="staff_stock_and_prices",
)
def update_stock_and_prices(request, payload: PackUpdateRequest):
    """Set the price and/or stock of packs by SKU, all rows or none.

    A row with an error makes the whole request fail with 422; ``fields`` names
    each bad row and field as ``rows.<index>.<field>`` (index 0 is the first row).
    """
    token = request.auth
    rows = [row.model_dump(exclude_none=True) for row in payload.rows]
    try:
        with transaction.atomic():
            changes = catalogue_services.update_packs(rows)
            log_pack_changes(token, changes)
    except catalogue_services.PackUpdateError as exc:
        fields = {
            f"rows.{index}.{field}": message
            for index, row_errors in sorted(exc.errors.items())
            for field, message in row_errors.items()
        }
        services.log_api_action(token, "api.update_packs_refused", data={"errors": fields})
        raise ApiError(422, str(exc), code="rows_invalid", fields=fields) from None
    return {
        "updated": sum(change.changed for change in changes),
        "rows": [
            represent.fields(PackUpdateResult, change, price=f"{change.new_price:.2f}", stock=change.new_stock)
            for change in changes
        ],
    }


@router.get(
    "/orders/awaiting-review",
    response={200: OrdersForReview, **STAFF_ERRORS},
    auth=StaffToken(Scope.ORDERS_READ),
    url_name="staff_orders_awaiting_review",
)
def orders_awaiting_review(request, paging: Query[PageQuery]):
    """Orders waiting for a pharmacist's review, oldest first: number, status, dates and lines only."""
    orders = (
        Order.objects.awaiting_review()
        .annotate(in_review_since=Max("events__created_at", filter=Q(events__to_status=OrderStatus.IN_REVIEW)))
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related("pack")))
        .order_by("created_at", "pk")
    )
    page = page_of(orders, paging, lambda rows: [represent.order_for_review(row) for row in rows])
    services.log_api_action(
        request.auth, "api.read_orders", data={"page": paging.page, "orders": [row["number"] for row in page["items"]]}
    )
    return page

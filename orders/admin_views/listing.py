"""The order listing: filter by status (with counts) and payment state, search by number, e-mail or name."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef
from django.utils.functional import cached_property
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView

from orders.admin_views.common import MoneyColumn, admin_url, order_status_column, payment_label
from orders.models import Order, OrderLine, OrderStatus, PaymentStatus


class OrderFilterSet(WagtailFilterSet):
    """Filter by status; each choice says how many orders have it (one query)."""

    status = ChoiceFilter(label="Status", choices=OrderStatus.choices, empty_label="All statuses")
    payment_status = ChoiceFilter(label="Payment", choices=PaymentStatus.choices, empty_label="Paid or not")

    class Meta:
        model = Order
        fields = ["status", "payment_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counts = dict(Order.objects.order_by().values_list("status").annotate(n=Count("pk")))
        self.filters["status"].extra["choices"] = [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in OrderStatus.choices
        ]


class OrderIndexView(IndexView):
    """All orders, newest first; the customer comes in the same query."""

    def get_base_queryset(self):
        return Order.objects.select_related("customer").annotate(
            needs_rx=Exists(OrderLine.objects.filter(order=OuterRef("pk"), requires_prescription=True, removed=False))
        )

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "number",
                label="Order",
                sort_key="number",
                get_url=lambda order: admin_url("inspect", order.pk),
            ),
            Column(
                "full_name",
                label="Customer",
                sort_key="full_name",
                accessor=lambda order: (
                    f"{order.full_name} ({order.retention_note})" if order.retained_until else order.full_name
                ),
            ),
            Column("email", label="E-mail"),
            order_status_column(sort_key="status"),
            Column("needs_rx", label="Prescription", accessor=lambda order: "Rx" if order.needs_rx else ""),
            MoneyColumn("total", label="Total", sort_key="total"),
            Column("payment_method", label="Payment", accessor=lambda order: payment_label(order.payment_method)),
            Column("payment_status", label="Paid", accessor="get_payment_status_display", sort_key="payment_status"),
            DateColumn("created_at", label="Placed", sort_key="created_at"),
        ]

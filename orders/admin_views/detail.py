"""The order screen: the order whole, its history, and the actions its status allows."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from wagtail.admin.views.generic import InspectView
from wagtail.admin.widgets.button import HeaderButton

from orders import services
from orders.admin_forms import CancelForm
from orders.admin_views.common import NEEDS_ACTION, admin_url, payment_label, prescription_file_url
from orders.dispatch_forms import PaymentForm, RefundForm, ShipForm
from orders.models import Order, OrderEvent, OrderLine, OrderStatus
from orders.services.fulfilment import LABELLED, PACKED
from orders.services.payment import awaits_payment
from prescriptions.services import is_pharmacist


class OrderDetailView(InspectView):
    """One order: who, where, what, how it was paid, its history, and the actions its status allows."""

    template_name = "orders/admin/order_detail.html"
    page_title = "Order"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Order.objects.select_related("customer", "prescription", "carrier", "payment_recorded_by").prefetch_related(
                Prefetch(
                    "lines",
                    queryset=OrderLine.objects.select_related(
                        "pack__product__medicine", "prescription_item__approved_by"
                    ),
                ),
                Prefetch("events", queryset=OrderEvent.objects.select_related("by")),
            ),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return self.object.number

    @cached_property
    def header_more_buttons(self):
        return []

    @cached_property
    def header_buttons(self):
        buttons = [HeaderButton("History", url=admin_url("history", self.object.pk), icon_name="history")]
        if self.object.in_review and is_pharmacist(self.request.user):
            buttons.insert(
                0, HeaderButton("Review prescription", url=admin_url("review", self.object.pk), icon_name="doc-full")
            )
        return buttons

    def available_actions(self) -> list[str]:
        """The actions this user may take on this order now (the services still check each one)."""
        order, user = self.object, self.request.user
        allowed = set(services.allowed_transitions(order))
        can_change = self.user_has_permission("change")
        actions = []
        if OrderStatus.DISPENSED in allowed and self.user_has_permission("dispense") and is_pharmacist(user):
            actions.append("dispense")
        if can_change:
            if OrderStatus.SHIPPED in allowed:
                actions.append("ship")
            if OrderStatus.DELIVERED in allowed:
                actions.append("deliver")
            if OrderStatus.CANCELLED in allowed:
                actions.append("cancel")
            if awaits_payment(order):
                actions.append("record_payment")
            if OrderStatus.REFUNDED in allowed:
                actions.append("refund")
        return actions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        lines = list(order.lines.all())
        actions = self.available_actions()
        uncovered = services.uncovered_lines(order) if order.status == OrderStatus.APPROVED else []
        context.update(
            order=order,
            lines=[line for line in lines if not line.removed],
            removed_lines=[line for line in lines if line.removed],
            events=list(order.events.all()),
            payment_method=payment_label(order.payment_method),
            actions=actions,
            action_urls={action: admin_url(action, order.pk) for action in actions},
            uncovered=uncovered,
            ship_form=ShipForm(),
            cancel_form=CancelForm(),
            payment_form=PaymentForm(),
            refund_form=RefundForm(),
            awaiting_payment_first=services.must_pay_first(order) and awaits_payment(order),
            repeats=[
                (line, services.repeat_status(line.prescription_item))
                for line in lines
                if not line.removed and line.prescription_item_id
            ],
            label_url=(
                admin_url("label", order.pk) if order.status in LABELLED and is_pharmacist(self.request.user) else ""
            ),
            packing_slip_url=(
                admin_url("packing_slip", order.pk)
                if order.status in PACKED and self.user_has_permission("change")
                else ""
            ),
            user_is_pharmacist=is_pharmacist(self.request.user),
            dispense_blocked_for_role=(
                order.status == OrderStatus.APPROVED
                and "dispense" not in actions
                and not is_pharmacist(self.request.user)
            ),
            review_url=(admin_url("review", order.pk) if order.in_review and is_pharmacist(self.request.user) else ""),
            prescription_file_url=prescription_file_url(order.prescription),
            status_primary=order.status in NEEDS_ACTION,
            internal_notes=list(order.internal_notes.select_related("author")),  # staff only (H2)
        )
        return context

"""The order screen's actions: dispense (pharmacists), ship, deliver, cancel, refund. Each is a POST that calls
one service; the service's refusal is shown as an error message and nothing changes. The service records the move
(the order's history and the admin's log)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import View
from wagtail.admin import messages

from orders import services
from orders.admin_forms import CancelForm, RefundForm, ShipForm
from orders.admin_views.common import admin_url, forbidden, form_errors, refusal
from orders.models import Order


class OrderActionView(View):
    """A POST that moves an order through one service call, then back to the order screen."""

    http_method_names = ["post"]
    permission = "change"
    form_class = None
    done = ""  # "marked shipped"
    forbidden_message = "You do not have permission to change orders."

    def perform(self, order: Order, user, data: dict) -> None:
        """Call the service (it refuses with an ``OrderError``, a ``ValidationError`` or ``PermissionDenied``)."""
        raise NotImplementedError

    def post(self, request, pk):
        from wagtail.permissions import policy_registry

        order = get_object_or_404(Order, pk=pk)
        if not policy_registry.get_by_type(Order).user_has_permission(request.user, self.permission):
            return forbidden(request, self.forbidden_message)
        detail_url = admin_url("inspect", order.pk)
        data = {}
        if self.form_class is not None:
            form = self.form_class(request.POST)
            if not form.is_valid():
                messages.error(request, form_errors(form))
                return redirect(detail_url)
            data = form.cleaned_data
        try:
            self.perform(order, request.user, data)
        except (services.OrderError, ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal(exc))
            return redirect(detail_url)
        messages.success(request, f"Order {order.number} {self.done}.")
        return redirect(detail_url)


class DispenseView(OrderActionView):
    permission = "dispense"
    done = "marked dispensed"
    forbidden_message = "Only a pharmacist can mark an order dispensed."

    def perform(self, order, user, data):
        services.dispense(order, user)


class ShipView(OrderActionView):
    form_class = ShipForm
    done = "marked shipped"

    def perform(self, order, user, data):
        services.ship(order, by=user, tracking_number=data["tracking_number"])


class DeliverView(OrderActionView):
    done = "marked delivered"

    def perform(self, order, user, data):
        services.deliver(order, by=user)


class CancelView(OrderActionView):
    form_class = CancelForm
    done = "cancelled; its stock is back on the shelf"

    def perform(self, order, user, data):
        services.cancel(order, by=user, reason=data["reason"])


class RefundView(OrderActionView):
    form_class = RefundForm
    done = "marked refunded"

    def perform(self, order, user, data):
        services.refund(order, by=user, note=data["note"])

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
    service = ""  # the name of the ``orders.services`` function: "ship"
    form_class = None  # its fields are the service's keyword arguments
    done = ""  # "marked shipped"
    forbidden_message = "You do not have permission to change orders."

    def perform(self, order: Order, user, data: dict) -> None:
        """Call the service (it refuses with an ``OrderError``, a ``ValidationError`` or ``PermissionDenied``)."""
        getattr(services, self.service)(order, by=user, **data)

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


# The actions of anyone who may change orders: (name, also the ``orders.services`` function's and the URL's; the
# form whose fields are its keyword arguments; what the message says was done).
STAFF_ACTIONS = (
    ("ship", ShipForm, "marked shipped"),
    ("deliver", None, "marked delivered"),
    ("cancel", CancelForm, "cancelled; its stock is back on the shelf"),
    ("refund", RefundForm, "marked refunded"),
)

# Every action's view, by name.
ACTION_VIEWS = {
    "dispense": DispenseView.as_view(),
    **{
        name: OrderActionView.as_view(service=name, form_class=form_class, done=done)
        for name, form_class, done in STAFF_ACTIONS
    },
}

"""The order screen's actions: dispense (pharmacists; a screen with the batch, expiry and directions of each line),
ship, deliver, cancel, record the payment, refund; and its documents, the dispensing labels (pharmacists, once
dispensed) and the packing slip, as PDF. Each action is a POST that calls one service; the service's refusal is
shown as an error message and nothing changes. The service records the move (the order's history and the admin's
log); a document downloaded is written in the admin's log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from orders import services
from orders.admin_forms import CancelForm
from orders.admin_views.common import admin_url, forbidden, form_errors, payment_label, refusal
from orders.dispatch_forms import DispenseLineForm, PaymentForm, RefundForm, ShipForm
from orders.models import Order, OrderLine, OrderStatus, PaymentStatus
from orders.services.fulfilment import LABELLED, PACKED
from prescriptions.services import is_pharmacist


def _user_may(user, action: str) -> bool:
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(Order).user_has_permission(user, action)


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
        order = get_object_or_404(Order, pk=pk)
        if not _user_may(request.user, self.permission):
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


class DispenseView(WagtailAdminTemplateMixin, TemplateView):
    """The pharmacist records each line as dispensed (batch, expiry, directions), then marks the order dispensed."""

    template_name = "orders/admin/dispense.html"
    page_title = "Dispense"
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        self.order = get_object_or_404(Order.objects.select_related("customer"), pk=kwargs["pk"])
        if not _user_may(request.user, "dispense"):
            return forbidden(request, "Only a pharmacist can mark an order dispensed.")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.order.number

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": admin_url("index"), "label": "Orders"},
            {"url": admin_url("inspect", self.order.pk), "label": self.order.number},
            {"url": "", "label": self.get_page_title(), "sublabel": self.order.number},
        ]

    @cached_property
    def lines(self) -> list[OrderLine]:
        return list(
            self.order.lines.filter(removed=False).select_related(
                "pack__product__medicine", "prescription_item__prescription"
            )
        )

    def line_forms(self, data=None) -> list[DispenseLineForm]:
        rx = {line.pk for line in services.prescription_lines(self.order)}
        return [DispenseLineForm(data, line=line, needs_directions=line.pk in rx) for line in self.lines]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(forms=self.line_forms()))

    def post(self, request, *args, **kwargs):
        forms = self.line_forms(request.POST)
        if not all([form.is_valid() for form in forms]):
            messages.error(request, "The order was not marked dispensed: correct the errors below.")
            return self.render_to_response(self.get_context_data(forms=forms), status=400)
        try:
            services.dispense(self.order, request.user, {form.line.pk: form.dispensed() for form in forms})
        except (services.OrderError, ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal(exc))
            self.order.refresh_from_db()
            return self.render_to_response(self.get_context_data(forms=forms), status=400)
        messages.success(
            request,
            f"Order {self.order.number} marked dispensed.",
            buttons=[messages.button(admin_url("label", self.order.pk), "Download the labels")],
        )
        return redirect(admin_url("inspect", self.order.pk))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.order
        context.update(
            order=order,
            rows=[
                (form, services.repeat_status(form.line.prescription_item) if form.line.prescription_item else None)
                for form in kwargs["forms"]
            ],
            can_dispense=OrderStatus.DISPENSED in services.allowed_transitions(order)
            and is_pharmacist(self.request.user),
            uncovered=services.uncovered_lines(order) if order.status == OrderStatus.APPROVED else [],
            payment_method=payment_label(order.payment_method),
            pay_first=services.must_pay_first(order) and order.payment_status != PaymentStatus.PAID,
        )
        return context


class DocumentView(View):
    """A PDF of the order, downloaded (never cached), and written in the admin's log."""

    http_method_names = ["get"]
    permission = "change"
    statuses: set = set()
    pharmacists_only = False
    forbidden_message = "You do not have permission to print this order's documents."
    not_yet = ""  # why the document cannot be printed in the order's status
    action = ""  # the admin log's action
    filename = ""  # "label-{number}.pdf"
    make = None  # the ``orders.documents`` function

    def get(self, request, pk):
        order = get_object_or_404(Order, pk=pk)
        if not _user_may(request.user, self.permission) or (self.pharmacists_only and not is_pharmacist(request.user)):
            return forbidden(request, self.forbidden_message)
        if order.status not in self.statuses:
            messages.error(request, f"Order {order.number}: {self.not_yet} (it is “{order.get_status_display()}”).")
            return redirect(admin_url("inspect", order.pk))
        from orders import documents  # fpdf2 and its fonts, only in the process that prints (~20 MiB otherwise)

        content = getattr(documents, self.make)(order)
        log(instance=order, action=self.action, user=request.user)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{self.filename.format(number=order.number)}"'
        response["Cache-Control"] = "private, no-store"
        return response


# The actions of anyone who may change orders: (name, also the ``orders.services`` function's and the URL's; the
# form whose fields are its keyword arguments; what the message says was done).
STAFF_ACTIONS = (
    ("ship", ShipForm, "marked shipped"),
    ("deliver", None, "marked delivered"),
    ("cancel", CancelForm, "cancelled; its stock is back on the shelf"),
    ("record_payment", PaymentForm, "marked paid"),
    ("refund", RefundForm, "marked refunded"),
)

# Every action's view, by name (the URL's: <pk>/<name>/).
ACTION_VIEWS = {
    "dispense": DispenseView.as_view(),
    **{
        name: OrderActionView.as_view(service=name, form_class=form_class, done=done)
        for name, form_class, done in STAFF_ACTIONS
    },
}

# The documents' views, by name, and their paths (<pk>/<path>).
DOCUMENT_VIEWS = {
    "label": (
        "label.pdf",
        DocumentView.as_view(
            permission="dispense",
            pharmacists_only=True,
            statuses=LABELLED,
            forbidden_message="Only a pharmacist can print dispensing labels.",
            not_yet="labels are printed once the order is dispensed",
            action="orders.label",
            filename="label-{number}.pdf",
            make="dispensing_labels",
        ),
    ),
    "packing_slip": (
        "packing-slip.pdf",
        DocumentView.as_view(
            statuses=PACKED,
            not_yet="a packing slip is printed once the order is approved",
            action="orders.packing_slip",
            filename="packing-slip-{number}.pdf",
            make="packing_slip",
        ),
    ),
}

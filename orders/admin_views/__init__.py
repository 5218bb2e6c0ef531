"""The staff side of ordering in the Wagtail admin.

- The order listing (filter by status, search by number, e-mail or name) and
  the order screen with the actions its status allows: dispense (pharmacists),
  ship, deliver, cancel, refund.
- The pharmacist's queue of orders in review and the review screen: the
  prescription beside the order's lines, the safety checks, and the decision.
- The prescription file, streamed to those ``prescriptions.services.can_view``
  allows (never from a public URL).

Every action is a POST that calls ``orders.services``; the service's refusal is
shown as an error message and nothing changes. The service writes the order's
history (``OrderEvent``); each action is also logged with ``wagtail.log_actions``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from django_filters import ChoiceFilter
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from catalogue.money import format_money
from orders import services
from orders.admin_forms import CHECKLIST, ApproveForm, CancelForm, RefundForm, RejectForm, ShipForm
from orders.models import Order, OrderEvent, OrderLine, OrderStatus
from orders.payments import providers
from prescriptions import services as prescription_services
from prescriptions.models import Prescription, PrescriptionDecision, PrescriptionItem
from prescriptions.services import is_pharmacist

ADMIN_NAMESPACE = "orders_admin"
# Statuses in which somebody on the staff has something to do: shown as primary tags.
NEEDS_ACTION = {OrderStatus.IN_REVIEW, OrderStatus.APPROVED, OrderStatus.DISPENSED, OrderStatus.SHIPPED}


def admin_url(name: str, *args) -> str:
    return reverse(f"{ADMIN_NAMESPACE}:{name}", args=args)


def forbidden(request, message: str) -> TemplateResponse:
    """A 403 page in the admin's frame (Wagtail would otherwise redirect to the dashboard)."""
    return TemplateResponse(request, "orders/admin/forbidden.html", {"message": message}, status=403)


def refusal(exc: Exception) -> str:
    """The message of a service's refusal, for the person who tried."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "You are not allowed to do this."


def form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def payment_label(code: str) -> str:
    provider = providers().get(code)
    return provider.label if provider else code


def prescription_file_url(prescription: Prescription | None) -> str:
    """The permission-checked URL of the prescription's file ("" when there is none)."""
    if prescription is None or not prescription.has_file:
        return ""
    return reverse("prescriptions:file", args=[prescription.pk])


# ---------------------------------------------------------------------------
# The order listing


class OrderFilterSet(WagtailFilterSet):
    """Filter by status; each choice says how many orders have it (one query)."""

    status = ChoiceFilter(label="Status", choices=OrderStatus.choices, empty_label="All statuses")

    class Meta:
        model = Order
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counts = dict(Order.objects.order_by().values_list("status").annotate(n=Count("pk")))
        self.filters["status"].extra["choices"] = [
            (value, f"{label} ({counts.get(value, 0)})") for value, label in OrderStatus.choices
        ]


def order_status_column(name="status", label="Status", **kwargs):
    return StatusTagColumn(
        name,
        label=label,
        accessor="get_status_display",
        primary=lambda order: order.status in NEEDS_ACTION,
        **kwargs,
    )


class MoneyColumn(Column):
    def get_value(self, instance):
        return format_money(super().get_value(instance))


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
            DateColumn("created_at", label="Placed", sort_key="created_at"),
        ]


# ---------------------------------------------------------------------------
# The order screen and its actions


class OrderDetailView(InspectView):
    """One order: who, where, what, how it was paid, its history, and the actions its status allows."""

    template_name = "orders/admin/order_detail.html"
    page_title = "Order"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Order.objects.select_related("customer", "prescription").prefetch_related(
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
        if self.object.status == OrderStatus.IN_REVIEW and is_pharmacist(self.request.user):
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
            refund_form=RefundForm(),
            user_is_pharmacist=is_pharmacist(self.request.user),
            dispense_blocked_for_role=(
                order.status == OrderStatus.APPROVED
                and "dispense" not in actions
                and not is_pharmacist(self.request.user)
            ),
            review_url=(
                admin_url("review", order.pk)
                if order.status == OrderStatus.IN_REVIEW and is_pharmacist(self.request.user)
                else ""
            ),
            prescription_file_url=prescription_file_url(order.prescription),
            status_primary=order.status in NEEDS_ACTION,
        )
        return context


class OrderActionView(View):
    """A POST that moves an order through one service call, then back to the order screen."""

    http_method_names = ["post"]
    action = ""  # the URL name and the log action's verb
    permission = "change"
    form_class = None
    done = ""  # "marked shipped"
    forbidden_message = "You do not have permission to change orders."

    def perform(self, order: Order, user, data: dict) -> dict:
        """Call the service; return what to keep in the log entry."""
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
            log_data = self.perform(order, request.user, data)
        except (services.OrderError, ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal(exc))
            return redirect(detail_url)
        log(instance=order, action=f"orders.{self.action}", user=request.user, data=log_data or {})
        messages.success(request, f"Order {order.number} {self.done}.")
        return redirect(detail_url)


class DispenseView(OrderActionView):
    action = "dispense"
    permission = "dispense"
    done = "marked dispensed"
    forbidden_message = "Only a pharmacist can mark an order dispensed."

    def perform(self, order, user, data):
        services.dispense(order, user)
        return {}


class ShipView(OrderActionView):
    action = "ship"
    form_class = ShipForm
    done = "marked shipped"

    def perform(self, order, user, data):
        services.ship(order, by=user, tracking_number=data["tracking_number"])
        return {"tracking_number": order.tracking_number}


class DeliverView(OrderActionView):
    action = "deliver"
    done = "marked delivered"

    def perform(self, order, user, data):
        services.deliver(order, by=user)
        return {}


class CancelView(OrderActionView):
    action = "cancel"
    form_class = CancelForm
    done = "cancelled; its stock is back on the shelf"

    def perform(self, order, user, data):
        services.cancel(order, by=user, reason=data["reason"])
        return {"reason": data["reason"]}


class RefundView(OrderActionView):
    action = "refund"
    form_class = RefundForm
    done = "marked refunded"

    def perform(self, order, user, data):
        services.refund(order, by=user, note=data["note"])
        return {"note": data["note"]}


# ---------------------------------------------------------------------------
# The pharmacist's queue and review screen


class PharmacistRequiredMixin:
    """Only members of the Pharmacists group; everybody else gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not is_pharmacist(request.user):
            return forbidden(request, "Only a pharmacist (a member of the Pharmacists group) can review prescriptions.")
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueView(PharmacistRequiredMixin, IndexView):
    """Orders waiting for a pharmacist, the longest-waiting first."""

    page_title = "Prescriptions to review"
    default_ordering = ["submitted_at", "pk"]

    def get_base_queryset(self):
        return (
            Order.objects.awaiting_review()
            .select_related("customer", "prescription")
            .annotate(
                submitted_at=Max("events__created_at", filter=Q(events__to_status=OrderStatus.IN_REVIEW)),
                rx_line_count=Count(
                    "lines", filter=Q(lines__requires_prescription=True, lines__removed=False), distinct=True
                ),
            )
        )

    def order_queryset(self, queryset):
        return queryset.order_by("submitted_at", "pk")

    @cached_property
    def columns(self):
        return [
            TitleColumn("number", label="Order", get_url=lambda order: admin_url("review", order.pk)),
            Column("patient", label="Patient", accessor=lambda order: order.customer or order.full_name),
            Column("prescription", label="Prescription", accessor=describe_prescription),
            Column("rx_line_count", label="Prescription lines"),
            MoneyColumn("total", label="Total"),
            DateColumn("submitted_at", label="Waiting since"),
        ]


def describe_prescription(order: Order) -> str:
    prescription = order.prescription
    if prescription is None:
        return "—"
    if prescription.has_file:
        return "Uploaded file (" + {"application/pdf": "PDF"}.get(prescription.content_type, "image") + ")"
    return f"Prescriber to contact: {prescription.prescriber_name}"


class ReviewView(PharmacistRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The prescription beside the order: check, then approve some or all lines, or reject."""

    template_name = "orders/admin/review.html"
    page_title = "Review prescription"
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.order = get_object_or_404(
            Order.objects.select_related("customer", "prescription__patient"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.order.number

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": admin_url("review_queue"), "label": "Prescriptions to review"},
            {"url": admin_url("inspect", self.order.pk), "label": self.order.number},
            {"url": "", "label": self.get_page_title(), "sublabel": self.order.number},
        ]

    @cached_property
    def rx_lines(self) -> list[OrderLine]:
        return services.prescription_lines(self.order)

    def approve_form(self, data=None) -> ApproveForm:
        return ApproveForm(data, rx_lines=self.rx_lines, prescription=self.order.prescription)

    def reject_form(self, data=None) -> RejectForm:
        return RejectForm(data)

    def get(self, request, *args, **kwargs):
        if self.order.status != OrderStatus.IN_REVIEW:
            messages.warning(
                request,
                f"Order {self.order.number} is not waiting for a pharmacist’s review "
                f"(it is “{self.order.get_status_display()}”).",
            )
        return self.render_to_response(
            self.get_context_data(approve_form=self.approve_form(), reject_form=self.reject_form())
        )

    def post(self, request, *args, **kwargs):
        approve_form, reject_form = self.approve_form(), self.reject_form()
        action = request.POST.get("action")
        if action == "approve":
            approve_form = self.approve_form(request.POST)
            if approve_form.is_valid():
                data = approve_form.cleaned_data
                decided = self.decide(
                    approve_line_ids=data["lines"],
                    reason=data["note"],
                    override_reason=data["override_reason"],
                    issued_on=data["issued_on"],
                    valid_until=data["valid_until"],
                    checks=[label for name, label, _help in CHECKLIST if data.get(name)],
                )
                if decided:
                    return decided
            else:
                messages.error(request, "The prescription was not approved: correct the errors below.")
        elif action == "reject":
            reject_form = self.reject_form(request.POST)
            if reject_form.is_valid():
                decided = self.decide(approve_line_ids=[], reason=reject_form.cleaned_data["reason"])
                if decided:
                    return decided
            else:
                messages.error(request, "The prescription was not rejected: correct the errors below.")
        else:
            messages.error(request, "Choose to approve or to reject the prescription.")
        return self.render_to_response(self.get_context_data(approve_form=approve_form, reject_form=reject_form))

    def decide(self, **decision):
        """Call ``services.review_order``; a redirect when it decided, None (with an error message) when refused."""
        order, request = self.order, self.request
        try:
            recorded = services.review_order(order, request.user, **decision)
        except (services.OrderError, ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal(exc))
            order.refresh_from_db()
            return None
        action = "orders.reject" if recorded.decision == "rejected" else "orders.approve"
        log(
            instance=order,
            action=action,
            user=request.user,
            data={"decision": recorded.pk, "kind": recorded.decision, **recorded.details},
        )
        messages.success(
            request,
            f"Order {order.number}: prescription {recorded.get_decision_display().lower()}.",
            buttons=[messages.button(admin_url("inspect", order.pk), "View order")],
        )
        return redirect(admin_url("review_queue"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.order
        prescription = order.prescription
        lines = list(order.lines.select_related("pack__product__medicine", "prescription_item"))
        warnings = services.safety_checks(order)
        approve_form = kwargs["approve_form"]
        context.update(
            order=order,
            patient=order.customer,
            prescription=prescription,
            file_url=prescription_file_url(prescription),
            is_pdf=bool(prescription and prescription.content_type == "application/pdf"),
            pdf_pages=(
                [
                    reverse("prescriptions:page", args=[prescription.pk, number])
                    for number in range(1, prescription_services.pdf_page_count(prescription) + 1)
                ]
                if prescription and prescription.content_type == "application/pdf"
                else []
            ),
            lines=[line for line in lines if not line.removed],
            removed_lines=[line for line in lines if line.removed],
            rx_lines=self.rx_lines,
            warnings=warnings,
            has_severe=any(w.severe for w in warnings),
            checklist=list(zip(CHECKLIST, approve_form.checklist_fields, strict=True)),
            decisions=(
                list(PrescriptionDecision.objects.filter(prescription=prescription).select_related("pharmacist"))
                if prescription
                else []
            ),
            verified_items=(
                list(
                    PrescriptionItem.objects.filter(prescription=prescription).select_related("product", "approved_by")
                )
                if prescription
                else []
            ),
            can_decide=order.status == OrderStatus.IN_REVIEW and prescription is not None,
        )
        return context

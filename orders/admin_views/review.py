"""The pharmacist's queue of orders in review, and the review screen: the prescription beside the order's lines,
the safety checks, and the decision."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from orders import services
from orders.admin_forms import ApproveForm, RejectForm
from orders.admin_views.common import MoneyColumn, admin_url, forbidden, prescription_file_url, refusal
from orders.models import Order, OrderLine, OrderStatus
from prescriptions import services as prescription_services
from prescriptions.models import PrescriptionDecision, PrescriptionItem
from prescriptions.services import CHECK_NAMES, CHECKLIST, is_pharmacist


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
        if not self.order.in_review:
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
                    checks=[name for name in CHECK_NAMES if data.get(name)],
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
        screened = services.screening(order)
        warnings = screened.findings
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
            screening=screened,
            health=screened.health,
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
            can_decide=order.in_review and prescription is not None,
        )
        return context

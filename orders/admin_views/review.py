"""The pharmacist's queue of orders waiting for a pharmacist, and the review screen: the prescription (or the
pharmacy-medicine questionnaire) beside the order's lines, the safety checks, the decision, the questions to the
patient or the prescriber, and internal notes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from django_filters import ChoiceFilter
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from orders import services
from orders.admin_forms import ApproveForm, HoldForm, InternalNoteForm, PrescriberForm, RejectForm
from orders.admin_views.common import MoneyColumn, admin_url, forbidden, prescription_file_url, refusal
from orders.models import UNDER_REVIEW, Order, OrderLine, OrderStatus
from orders.services.health import health_details
from orders.services.queue import (
    ATTENTION_FLAGS,
    queue_flags,
    review_started_at,
    waiting_label,
)
from prescriptions import services as prescription_services
from prescriptions.models import PrescriptionDecision, PrescriptionItem
from prescriptions.services import CHECKLIST, is_pharmacist


class PharmacistRequiredMixin:
    """Only members of the Pharmacists group; everybody else gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not is_pharmacist(request.user):
            return forbidden(request, "Only a pharmacist (a member of the Pharmacists group) can review prescriptions.")
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueFilterSet(WagtailFilterSet):
    """The queue's filters: where the order waits, what kind of order, and flagged orders only."""

    status = ChoiceFilter(
        label="Waiting",
        empty_label="All waiting",
        choices=[(status.value, status.label) for status in OrderStatus if status in UNDER_REVIEW],
    )
    kind = ChoiceFilter(
        label="Kind",
        empty_label="All kinds",
        choices=[("prescription", "Prescription"), ("pharmacy", "Pharmacy medicine (P)")],
        method="filter_kind",
    )
    flagged = ChoiceFilter(
        label="Flags",
        empty_label="All orders",
        choices=[("yes", "Flagged only (" + ", ".join(ATTENTION_FLAGS) + ")")],
        method="keep",  # the flags come from the safety checks: ``ReviewQueueView.get_queryset`` applies it
    )

    class Meta:
        model = Order
        fields = ["status"]

    def filter_kind(self, queryset, name, value):
        lines = OrderLine.objects.filter(order=OuterRef("pk"), removed=False)
        if value == "prescription":
            return queryset.filter(Exists(lines.filter(requires_prescription=True)))
        if value == "pharmacy":
            return queryset.filter(Exists(lines.filter(pharmacy_medicine=True)))
        return queryset

    def keep(self, queryset, name, value):
        return queryset


class ReviewQueueView(PharmacistRequiredMixin, IndexView):
    """Orders waiting for a pharmacist (in review, on hold, waiting for the prescriber), the longest-waiting first,
    with the patient's age, the medicines, the flags and the wait. The lines come in one query; each row's flags
    cost what ``services.safety_checks`` needs."""

    page_title = "Prescriptions to review"
    default_ordering = ["submitted_at", "pk"]
    filterset_class = ReviewQueueFilterSet

    def get_base_queryset(self):
        return (
            Order.objects.filter(status__in=UNDER_REVIEW)
            .select_related("customer", "prescription")
            .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related("pack__product__medicine")))
            .annotate(submitted_at=review_started_at())
        )

    def order_queryset(self, queryset):
        return queryset.order_by(F("submitted_at").asc(nulls_first=True), "pk")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.filters and self.filters.is_valid() and self.filters.form.cleaned_data.get("flagged"):
            queryset = queryset.filter(
                pk__in=[order.pk for order in queryset if set(self.flags(order)) & set(ATTENTION_FLAGS)]
            )
        return queryset

    def flags(self, order: Order) -> list[str]:
        """The order's flags, worked out once per request."""
        cache = self.__dict__.setdefault("_flags", {})
        if order.pk not in cache:
            cache[order.pk] = queue_flags(order, lines=list(order.lines.all()))
        return cache[order.pk]

    @cached_property
    def columns(self):
        return [
            TitleColumn("number", label="Order", get_url=lambda order: admin_url("review", order.pk)),
            Column("patient", label="Patient (age)", accessor=describe_patient),
            Column(
                "medicines",
                label="Medicines",
                accessor=lambda order: "; ".join(line.description for line in order.lines.all() if not line.removed),
            ),
            Column("flags", label="Flags", accessor=lambda order: ", ".join(self.flags(order)) or "—"),
            Column("status", label="Waiting for", accessor=lambda order: WAITING_FOR[order.status]),
            MoneyColumn("total", label="Total"),
            Column("submitted_at", label="Waiting", accessor=lambda order: waiting_label(order.submitted_at)),
        ]


WAITING_FOR = {
    OrderStatus.IN_REVIEW: "Pharmacist",
    OrderStatus.ON_HOLD: "Patient's answer",
    OrderStatus.AWAITING_PRESCRIBER: "Prescriber",
}


def describe_patient(order: Order) -> str:
    """ "Robin Patel (46)", or "(age unknown)" without a date of birth."""
    name = str(order.customer) if order.customer_id else f"{order.full_name} (guest)"
    age = health_details(order).age
    return f"{name} ({age if age is not None else 'age unknown'})"


class ReviewView(PharmacistRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The prescription beside the order: check, then approve some or all lines, reject, put on hold with a question
    to the patient, or contact the prescriber; internal notes."""

    template_name = "orders/admin/review.html"
    page_title = "Review prescription"
    header_icon = "doc-full"
    # action: (the form's context name, what the refusal says was not done)
    FORMS = {
        "approve": ("approve_form", "The order was not approved"),
        "reject": ("reject_form", "The order was not rejected"),
        "hold": ("hold_form", "The order was not put on hold"),
        "prescriber": ("prescriber_form", "The prescriber's request was not recorded"),
        "prescriber_replied": ("replied_form", "The prescriber's reply was not recorded"),
        "note": ("note_form", "The note was not added"),
    }

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

    @cached_property
    def p_lines(self) -> list[OrderLine]:
        return services.pharmacy_lines(self.order, self.rx_lines)

    def make_form(self, action: str, data=None):
        if action == "approve":
            return ApproveForm(data, rx_lines=self.rx_lines, p_lines=self.p_lines, prescription=self.order.prescription)
        if action == "reject":
            return RejectForm(data)
        if action == "hold":
            return HoldForm(data)
        if action in ("prescriber", "prescriber_replied"):
            return PrescriberForm(data, replied=action == "prescriber_replied")
        return InternalNoteForm(data)

    def forms(self, posted_action: str = "", data=None) -> dict:
        return {
            name: self.make_form(action, data if action == posted_action else None)
            for action, (name, _refused) in self.FORMS.items()
        }

    def get(self, request, *args, **kwargs):
        if self.order.status not in UNDER_REVIEW:
            messages.warning(
                request,
                f"Order {self.order.number} is not waiting for a pharmacist’s review "
                f"(it is “{self.order.get_status_display()}”).",
            )
        return self.render_to_response(self.get_context_data(**self.forms()))

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action not in self.FORMS:
            messages.error(request, "Choose what to do: approve, reject, ask the patient or contact the prescriber.")
            return self.render_to_response(self.get_context_data(**self.forms()))
        forms = self.forms(action, request.POST)
        name, refused = self.FORMS[action]
        form = forms[name]
        if form.is_valid():
            done = self.act(action, form)
            if done:
                return done
        else:
            messages.error(request, f"{refused}: correct the errors below.")
        return self.render_to_response(self.get_context_data(**forms))

    def act(self, action: str, form):
        """Call the action's service; a redirect when done, None (with an error message) when refused."""
        order, request, data = self.order, self.request, form.cleaned_data
        try:
            if action == "approve":
                return self.decide(**form.decision())
            if action == "reject":
                return self.decide(approve_line_ids=[], reason=data["reason"], internal_note=data["internal_note"])
            if action == "hold":
                services.hold_for_patient(order, request.user, data["question"])
                done = "put on hold: the patient is asked your question"
            elif action == "prescriber":
                services.await_prescriber(order, request.user, data["note"])
                done = "waiting for the prescriber"
            elif action == "prescriber_replied":
                services.prescriber_replied(order, request.user, data["note"])
                messages.success(request, f"Order {order.number}: the prescriber’s reply is recorded; back in review.")
                return redirect(admin_url("review", order.pk))
            else:
                services.add_internal_note(order, request.user, data["text"])
                messages.success(request, f"Order {order.number}: internal note added.")
                return redirect(admin_url("review", order.pk))
        except (services.OrderError, ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal(exc))
            order.refresh_from_db()
            return None
        messages.success(
            request,
            f"Order {order.number} {done}.",
            buttons=[messages.button(admin_url("inspect", order.pk), "View order")],
        )
        return redirect(admin_url("review_queue"))

    def decide(self, **decision):
        """Call ``services.review_order``; a redirect when it decided, None (with an error message) when refused."""
        order, request = self.order, self.request
        try:
            services.review_order(order, request.user, **decision)
        except (services.OrderError, ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal(exc))
            order.refresh_from_db()
            return None
        order.refresh_from_db()
        what = "prescription" if self.rx_lines else "order"
        outcome = order.prescription.get_status_display() if self.rx_lines else order.get_status_display()
        messages.success(
            request,
            f"Order {order.number}: {what} {outcome.lower()}.",
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
            extra_files=list(prescription.extra_files.all()) if prescription else [],
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
            p_lines=self.p_lines,
            health_answers=order.health_answers or [],
            warnings=warnings,
            screening=screened,
            health=screened.health,
            has_severe=any(w.severe for w in warnings),
            checklist=list(
                zip(
                    [item for item in CHECKLIST if item[0] in approve_form.fields],
                    approve_form.checklist_fields,
                    strict=True,
                )
            ),
            p_checklist=list(
                zip(
                    [item for item in services.P_CHECKLIST if item[0] in approve_form.fields],
                    approve_form.p_checklist_fields,
                    strict=True,
                )
            ),
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
            queries=list(order.queries.select_related("asked_by")),
            internal_notes=list(order.internal_notes.select_related("author")),
            can_decide=order.in_review
            and (prescription is not None or not self.rx_lines)
            and bool(self.rx_lines or self.p_lines),
            on_hold=order.status == OrderStatus.ON_HOLD,
            awaiting_prescriber=order.status == OrderStatus.AWAITING_PRESCRIBER,
        )
        return context

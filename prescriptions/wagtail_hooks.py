"""The pharmacists' decision log in the Wagtail admin: read-only, for everyone.

"Decision log" lists every PrescriptionDecision (who, when, what, why, for which
order), filterable by decision and searchable by reason or order number; each
opens read-only. There is no add, edit or delete screen, the permission policy
refuses those actions even to superusers, and the model itself raises
``ImmutableRecordError`` if anything tries to change a saved decision.
"""

from __future__ import annotations

from django.urls import path
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from apothecary.core.admin import LimitedPermissionPolicy, RecordViewSetMixin
from prescriptions.models import DecisionKind, PrescriptionDecision

# Decisions can be viewed (with ``view_prescriptiondecision``), never added, changed or deleted here.
register_permission_policy(PrescriptionDecision, LimitedPermissionPolicy(PrescriptionDecision, only=["view"]))


class DecisionIndexView(IndexView):
    def get_base_queryset(self):
        return PrescriptionDecision.objects.select_related("pharmacist", "prescription__patient")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "created_at",
                label="When",
                sort_key="created_at",
                accessor=lambda decision: f"{decision.created_at:%Y-%m-%d %H:%M}",
                get_url=self.get_inspect_url,
            ),
            Column("pharmacist", label="Pharmacist", sort_key="pharmacist__last_name"),
            StatusTagColumn(
                "decision",
                label="Decision",
                accessor="get_decision_display",
                primary=lambda decision: decision.decision != DecisionKind.REJECTED,
                sort_key="decision",
            ),
            Column("patient", label="Patient", accessor="prescription.patient_label"),
            Column("order", label="Order", accessor=lambda decision: decision.details.get("order", "—")),
            Column("reason", label="Reason or note", accessor=lambda decision: decision.reason or "—"),
            Column(
                "override_reason", label="Override reason", accessor=lambda decision: decision.override_reason or "—"
            ),
        ]


class DecisionInspectView(InspectView):
    page_title = "Decision"

    def get_object(self, queryset=None):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(
            PrescriptionDecision.objects.select_related("pharmacist", "prescription__patient"), pk=self.pk
        )

    labels = {"created_at": "When", "patient": "Patient", "details": "What was checked and approved"}

    def get_field_label(self, field_name, field):
        if field_name in self.labels:
            return self.labels[field_name]
        return super().get_field_label(field_name, field)

    def get_patient_display_value(self):
        return self.object.prescription.patient_label

    def get_prescription_display_value(self):
        prescription = self.object.prescription
        source = "uploaded file" if prescription.has_file else f"prescriber {prescription.prescriber_name}"
        return f"Prescription {prescription.pk} ({source})"

    def get_details_display_value(self):
        details = self.object.details or {}
        labels = {
            "order": "Order",
            "approved_lines": "Approved lines",
            "removed_lines": "Removed lines",
            "partial": "Partly approved",
            "warnings": "Warnings shown to the pharmacist",
        }
        rows = []
        for key, value in details.items():
            if isinstance(value, list):
                value = "; ".join(str(item) for item in value) or "—"
            elif isinstance(value, bool):
                value = "Yes" if value else "No"
            rows.append((labels.get(key, key.replace("_", " ").capitalize()), value))
        if not rows:
            return "—"
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


class DecisionViewSet(RecordViewSetMixin, ModelViewSet):
    model = PrescriptionDecision
    icon = "doc-full-inverse"
    menu_label = "Decision log"
    menu_name = "prescription-decisions"
    menu_order = 215
    add_to_admin_menu = True
    url_prefix = "prescriptions/decisions"
    url_namespace = "prescription_decisions"
    index_view_class = DecisionIndexView
    inspect_view_class = DecisionInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "pharmacist",
        "decision",
        "patient",
        "prescription",
        "reason",
        "override_reason",
        "details",
    ]
    copy_view_enabled = False
    list_filter = ["decision"]
    search_fields = ["reason", "override_reason", "details__order"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    add_to_reference_index = False

    removed_url_names = (*RecordViewSetMixin.removed_url_names, "history_url_name")

    def get_urlpatterns(self):
        # Only the listing and the read-only screen: no add, edit, delete, copy or history URLs exist.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_decision_viewset():
    return DecisionViewSet("prescription_decisions")

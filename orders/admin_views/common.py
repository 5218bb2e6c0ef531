"""What every staff screen of ordering shares: URLs, the 403 page, refusal messages and table columns."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin.ui.tables import Column, StatusTagColumn

from catalogue.money import format_money
from orders.models import OrderStatus
from orders.payments import providers
from prescriptions.models import Prescription

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

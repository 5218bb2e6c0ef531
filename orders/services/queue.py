"""The pharmacist's queue: what waits for a pharmacist (the dashboard's counts and the oldest wait), and what each
waiting order shows in the queue (the patient's age, its flags, how long it has waited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from orders.models import UNDER_REVIEW, Order, OrderStatus
from orders.services.health import health_details
from orders.services.safety import safety_checks

# The flags of a waiting order that call for the pharmacist's attention ("flagged only" in the queue).
ATTENTION_FLAGS = ("severe", "warning", "no DOB", "allergies not answered")


@dataclass(frozen=True)
class QueueSummary:
    in_review: int
    on_hold: int
    awaiting_prescriber: int
    oldest_since: datetime | None

    @property
    def total(self) -> int:
        return self.in_review + self.on_hold + self.awaiting_prescriber


def queue_summary() -> QueueSummary:
    """How many orders wait for a pharmacist, by status, and since when the oldest has waited (one query)."""

    def count(status):
        return Count("pk", filter=Q(status=status), distinct=True)

    row = Order.objects.filter(status__in=UNDER_REVIEW).aggregate(
        in_review=count(OrderStatus.IN_REVIEW),
        on_hold=count(OrderStatus.ON_HOLD),
        awaiting_prescriber=count(OrderStatus.AWAITING_PRESCRIBER),
        oldest_since=Min("events__created_at", filter=Q(events__to_status=OrderStatus.IN_REVIEW)),
    )
    return QueueSummary(**row)


def review_started_at():
    """An annotation: when the order first went to a pharmacist's review (its wait runs from then)."""
    return Min("events__created_at", filter=Q(events__to_status=OrderStatus.IN_REVIEW))


def waiting_label(since: datetime | None, now: datetime | None = None) -> str:
    """ "2 days 3 h", "5 h 10 min", "12 min" ("—" when unknown)."""
    if since is None:
        return "—"
    minutes = max(0, int(((now or timezone.now()) - since).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def queue_flags(order: Order, lines=None) -> list[str]:
    """What the queue flags on a waiting order: the safety checks' findings ("severe", "warning"), where it waits
    ("on hold", "prescriber"), a pharmacy medicine ("P"), and missing health details ("no DOB", "allergies not
    answered"). ``lines``: the order's lines, already fetched with their medicines (else they are fetched)."""
    if lines is not None:
        lines = [line for line in lines if not line.removed]
    findings = safety_checks(order, lines=lines)
    flags = []
    if any(finding.severe for finding in findings):
        flags.append("severe")
    if any(not finding.severe for finding in findings):
        flags.append("warning")
    if order.status == OrderStatus.ON_HOLD:
        flags.append("on hold")
    if order.status == OrderStatus.AWAITING_PRESCRIBER:
        flags.append("prescriber")
    if any(line.pharmacy_medicine for line in (lines if lines is not None else order.lines.filter(removed=False))):
        flags.append("P")
    health = health_details(order)
    if health.date_of_birth is None:
        flags.append("no DOB")
    if not health.allergies_answered:
        flags.append("allergies not answered")
    return flags

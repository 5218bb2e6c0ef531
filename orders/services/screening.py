"""Clinical screening of an order, which fails loudly and is never falsely clear.

What is screened: the medicines of the order's lines against every other medicine the patient has or takes,

- the lines of the patient's other open orders (``orders.models.OPEN``),
- their current medicines: lines of their orders dispensed in the last ``SCREENING_CURRENT_DAYS`` days,
- the medicines they declare (their account's current medicines, or a guest's as given at checkout), matched by
  generic name, brand or ingredient against the site's live guides.

What is found (each finding says where the other medicine comes from and the guide row it came from):

- ``allergy``: a medicine of the order contains something the patient lists as an allergy (severe);
- ``interaction``: a guide's interaction row names the other medicine, by its generic name or an ingredient, or a
  screening class it belongs to (``Interaction.screening_class``, or a class's name in the row's text); severe for
  contraindicated and major rows (the matching rule is ``medicines.interactions.row_names``, which the patients'
  medicine checker calls too);
- ``duplicate``: two different medicines of the same drug class, one of them in this order;
- ``age``: the patient's age is outside a guide's stated age limit;
- ``cannot_screen``: what could not be checked: no date of birth, allergies not answered, a declared medicine that
  is in no guide. A screening with one is amber, never green.

The queries are a fixed number, whatever the number of lines, orders and rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from medicines.interactions import brand_names, interaction_rows, medicine_names, mentions, row_names, screening_classes
from medicines.models import Interaction, MedicinePage
from orders.models import OPEN, Order, OrderLine, OrderStatus
from orders.services.health import HealthDetails, health_details

DISPENSED = {OrderStatus.DISPENSED, OrderStatus.SHIPPED, OrderStatus.DELIVERED}
LINE_RELATED = ("pack__product__medicine__drug_class", "pack__product__medicine__age_limit_reference")

KIND_LABELS = {
    "allergy": "Allergy",
    "interaction": "Interaction",
    "duplicate": "Duplicate therapy",
    "age": "Age",
    "cannot_screen": "Cannot screen",
}
# Where the other medicine comes from.
IN_ORDER, OPEN_ORDER, DISPENSED_ORDER, DECLARED = "order", "open", "dispensed", "declared"


@dataclass(frozen=True)
class Source:
    """Where a finding comes from: the guide, its row (the row's text) and the row's reference."""

    guide: str
    row: str = ""
    reference: str = ""
    reference_url: str = ""

    def __str__(self) -> str:
        parts = [self.guide]
        if self.row:
            parts.append(f"row “{self.row}”")
        if self.reference:
            parts.append(f"source: {self.reference}")
        return ", ".join(parts)


@dataclass
class Finding:
    """One thing the pharmacist must look at: ``kind``, ``severe`` and ``message`` are what every caller reads."""

    kind: str  # allergy, interaction, duplicate, age, cannot_screen
    severe: bool
    message: str
    severity: str = ""  # the label shown: "Contraindicated", "Major", "Warning", "Cannot screen"…
    where: str = ""  # where the other medicine comes from: "in this order", "declared by the patient"…
    source: Source | None = None

    @property
    def badge(self) -> str:
        """The label of the finding: "Severe interaction warning", "Duplicate therapy warning", "Cannot screen"…"""
        if self.kind == "cannot_screen":
            return "Cannot screen"
        label = KIND_LABELS.get(self.kind, self.kind)
        return f"Severe {label.lower()} warning" if self.severe else f"{label} warning"

    @property
    def level(self) -> str:
        if self.severe:
            return "severe"
        return "cannot_screen" if self.kind == "cannot_screen" else "warning"


@dataclass
class Taken:
    """A medicine the patient has or takes, and where from."""

    medicine: MedicinePage
    origin: str  # IN_ORDER, OPEN_ORDER, DISPENSED_ORDER or DECLARED
    where: str
    declared_as: str = ""


@dataclass
class Screening:
    """The result: its findings, its level (severe, warning, cannot_screen or clear) and what it covered."""

    findings: list[Finding]
    health: HealthDetails
    order_lines: int = 0
    open_orders: int = 0
    dispensed_medicines: int = 0
    declared: int = 0
    current_days: int = 90
    taken: list[Taken] = field(default_factory=list, repr=False)

    @property
    def severe(self) -> list[Finding]:
        return [f for f in self.findings if f.severe]

    @property
    def level(self) -> str:
        """ "severe" (red), "cannot_screen" or "warning" (amber), "clear" (green: complete data, nothing found)."""
        if self.severe:
            return "severe"
        if any(f.kind == "cannot_screen" for f in self.findings) or not self.health.complete:
            return "cannot_screen"
        return "warning" if self.findings else "clear"

    @property
    def colour(self) -> str:
        return {"severe": "red", "clear": "green"}.get(self.level, "amber")

    @property
    def headline(self) -> str:
        return {
            "severe": "Severe: approving needs a written override reason",
            "cannot_screen": "Cannot screen fully: check what is listed yourself",
            "warning": "Warnings to check",
            "clear": "Clear: no allergy, interaction, duplicate-therapy or age findings",
        }[self.level]

    @property
    def coverage(self) -> str:
        """What was screened: "3 lines in this order, 1 open order, 2 medicines dispensed in the last 90 days, …"."""

        def count(number: int, one: str, many: str) -> str:
            return f"{number} {one if number == 1 else many}"

        return ", ".join(
            [
                count(self.order_lines, "line in this order", "lines in this order"),
                count(self.open_orders, "open order", "open orders"),
                count(self.dispensed_medicines, "medicine", "medicines")
                + f" dispensed in the last {self.current_days} days",
                f"{self.declared} declared",
            ]
        )


def _reference(row) -> tuple[str, str]:
    reference = getattr(row, "reference", None)
    if reference is None:
        return "", ""
    return f"{reference.short_label}: {reference.title}", reference.link


def _row_source(row: Interaction, guide: MedicinePage) -> Source:
    label, url = _reference(row)
    return Source(guide=guide.title, row=row.substance, reference=label, reference_url=url)


def _match_declared(text: str, guides: list[MedicinePage]) -> list[MedicinePage]:
    """The live guides a declared medicine names: by generic name, an ingredient or a brand."""
    return [
        guide for guide in guides if any(mentions(text, name) for name in medicine_names(guide) | brand_names(guide))
    ]


def screening(order: Order, lines=None) -> Screening:
    """Screen ``order`` (or only ``lines`` of it: those a pharmacist would approve); see the module's docstring."""
    if lines is None:
        lines = order.lines.filter(removed=False)
    lines = list(lines.select_related(*LINE_RELATED)) if hasattr(lines, "select_related") else list(lines)
    health = health_details(order)
    current_days = settings.SCREENING_CURRENT_DAYS
    taken: list[Taken] = []
    in_order: dict[int, MedicinePage] = {}
    for line in lines:
        medicine = line.pack.product.medicine
        if medicine.pk not in in_order:
            in_order[medicine.pk] = medicine
            taken.append(Taken(medicine, IN_ORDER, "in this order"))
    seen = set(in_order)

    def add(medicine, origin, where, declared_as=""):
        if medicine.pk not in seen:
            seen.add(medicine.pk)
            taken.append(Taken(medicine, origin, where, declared_as))

    # The patient's other orders: by account, or for a guest by e-mail address among guest orders.
    if order.customer_id is not None:
        theirs = Q(order__customer_id=order.customer_id)
    else:
        theirs = Q(order__customer__isnull=True, order__email__iexact=order.email)
    other_lines = OrderLine.objects.filter(theirs, removed=False).exclude(order=order)
    open_lines = list(other_lines.filter(order__status__in=OPEN).select_related("order", *LINE_RELATED))
    for line in open_lines:
        add(line.pack.product.medicine, OPEN_ORDER, f"in open order {line.order.number}")
    cutoff = timezone.now() - timedelta(days=current_days)
    dispensed_lines = list(
        other_lines.filter(order__status__in=DISPENSED)
        .annotate(
            dispensed_at=Max("order__events__created_at", filter=Q(order__events__to_status=OrderStatus.DISPENSED))
        )
        .filter(dispensed_at__gte=cutoff)
        .select_related("order", *LINE_RELATED)
        .order_by("-dispensed_at", "pk")
    )
    for line in dispensed_lines:
        day = timezone.localtime(line.dispensed_at)
        add(
            line.pack.product.medicine,
            DISPENSED_ORDER,
            f"dispensed on {day.day} {day:%b %Y} in order {line.order.number}",
        )

    findings: list[Finding] = []
    for missing, what in (
        (health.date_of_birth is None, "no date of birth recorded: the age limits are not checked"),
        (not health.allergies_answered, "the patient has not answered the allergy question"),
    ):
        if missing:
            findings.append(_cannot_screen(f"Cannot screen: {what}."))

    declared_unmatched: list[str] = []
    if health.current_medicines:
        guides = list(MedicinePage.objects.live().select_related("drug_class"))
        for text in health.current_medicines:
            matched = _match_declared(text, guides)
            if not matched:
                declared_unmatched.append(text)
                findings.append(
                    _cannot_screen(f"Cannot screen: “{text}” is not in the screening data; check it yourself.")
                )
            for medicine in matched:
                add(medicine, DECLARED, f"declared by the patient as “{text}”", declared_as=text)

    medicines = {entry.medicine.pk: entry.medicine for entry in taken}
    classes = screening_classes(medicines)
    rows = interaction_rows(medicines) if len(medicines) > 1 or declared_unmatched else []

    findings[:0] = _allergies(in_order.values(), health)
    findings += _interactions(taken, rows, classes, declared_unmatched)
    findings += _duplicates(taken)
    findings += _ages(in_order.values(), health)
    return Screening(
        findings=findings,
        health=health,
        order_lines=len(lines),
        open_orders=len({line.order_id for line in open_lines}),
        dispensed_medicines=len({line.pack.product.medicine_id for line in dispensed_lines}),
        declared=len(health.current_medicines),
        current_days=current_days,
        taken=taken,
    )


def _cannot_screen(message: str) -> Finding:
    return Finding("cannot_screen", False, message, severity="Cannot screen")


def _allergies(medicines, health: HealthDetails) -> list[Finding]:
    found = []
    for medicine in medicines:
        for allergy in health.allergies:
            lowered = allergy.lower()
            if any(lowered in name or name in lowered for name in medicine_names(medicine)):
                found.append(
                    Finding(
                        "allergy",
                        True,
                        f"The patient records an allergy to “{allergy}”; "
                        f"{medicine.title} contains {medicine.active_ingredients}.",
                        severity="Allergy",
                        where="in this order",
                        source=Source(guide=medicine.title, row=f"Active ingredients: {medicine.active_ingredients}"),
                    )
                )
    return found


def _interactions(taken: list[Taken], rows: list[Interaction], classes, declared_unmatched: list[str]):
    """Rows of a medicine of this order naming another medicine, and rows of another medicine naming one of this
    order's; and rows of this order's medicines naming a declared medicine that is in no guide."""
    by_pk = {entry.medicine.pk: entry for entry in taken}
    found = []
    for row in rows:
        owner = by_pk[row.page_id]
        if owner.origin == IN_ORDER:
            for text in declared_unmatched:
                if mentions(row.substance, text):
                    where = f"declared by the patient as “{text}”"
                    found.append(_interaction(row, owner, f"“{text}”", "the row names it", where))
        for other in taken:
            if other.medicine.pk == owner.medicine.pk or IN_ORDER not in (owner.origin, other.origin):
                continue
            how = row_names(row, other.medicine, classes)
            if not how:
                continue
            if owner.origin == other.origin:
                where = "both in this order"
            else:
                where = other.where if owner.origin == IN_ORDER else owner.where
            found.append(_interaction(row, owner, other.medicine.title, how, where))
    return found


def _interaction(row: Interaction, owner: Taken, other: str, how: str, where: str) -> Finding:
    return Finding(
        "interaction",
        row.is_severe,
        f"{owner.medicine.title} and {other} ({where}): {row.get_severity_display()}. {row.effect} "
        f"({how}; {owner.medicine.title} guide, row “{row.substance}”.)",
        severity=row.get_severity_display(),
        where=where,
        source=_row_source(row, owner.medicine),
    )


def _duplicates(taken: list[Taken]) -> list[Finding]:
    """One warning per drug class with two different medicines, at least one of them in this order."""
    groups: dict[int, list[Taken]] = {}
    for entry in taken:
        groups.setdefault(entry.medicine.drug_class_id, []).append(entry)
    found = []
    for entries in groups.values():
        if len(entries) < 2 or not any(entry.origin == IN_ORDER for entry in entries):
            continue
        drug_class = entries[0].medicine.drug_class
        listed = ", ".join(f"{entry.medicine.title} ({entry.where})" for entry in entries)
        found.append(
            Finding(
                "duplicate",
                False,
                f"Duplicate therapy: {len(entries)} {drug_class.title}: {listed}.",
                severity="Warning",
                where="; ".join(entry.where for entry in entries if entry.origin != IN_ORDER) or "in this order",
                source=Source(
                    guide=", ".join(entry.medicine.title for entry in entries),
                    row=f"Drug class: {drug_class.title}",
                ),
            )
        )
    return found


def _ages(medicines, health: HealthDetails) -> list[Finding]:
    age = health.age
    if age is None:
        return []
    found = []
    for medicine in medicines:
        low, high = medicine.minimum_age, medicine.maximum_age
        if (low is not None and age < low) or (high is not None and age > high):
            limit = (
                f"from {low} to {high} years"
                if low is not None and high is not None
                else (f"{low} years and over" if low is not None else f"up to {high} years")
            )
            reference = medicine.age_limit_reference
            found.append(
                Finding(
                    "age",
                    False,
                    f"The patient is {age}; the {medicine.title} guide states use {limit}.",
                    severity="Warning",
                    where="in this order",
                    source=Source(
                        guide=medicine.title,
                        row=f"Age limit: {limit}",
                        reference=f"{reference.short_label}: {reference.title}" if reference else "",
                        reference_url=reference.link if reference else "",
                    ),
                )
            )
    return found

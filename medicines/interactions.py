"""The one rule for whether a guide's interaction row concerns another medicine, and the interactions between a
set of medicines.

A guide's interaction row names another medicine when

- the row names a screening class the other medicine belongs to (``Interaction.screening_class``, or one of the
  class's names in the row's text; the other guide says, citing its source, which classes it belongs to), or
- the row's text names the other medicine's generic name or one of its active ingredients.

The pharmacist's screening of an order (``orders.services.screening``) and the patients' medicine checker both
call ``row_names``, so they never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from medicines.models import ClassMembership, Interaction, InteractionSeverity, MedicinePage


def norm(text: str) -> str:
    """Lower case, with runs of white space as one space."""
    return " ".join(text.lower().split())


def mentions(text: str, name: str) -> bool:
    """``text`` names ``name`` (whole words, any case)."""
    name = norm(name)
    return bool(name) and re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", norm(text)) is not None


def medicine_names(medicine: MedicinePage) -> set[str]:
    """The generic name and the active ingredients of ``medicine``, lower case."""
    return {norm(name) for name in [medicine.generic_name, *medicine.ingredient_list] if name.strip()}


def brand_names(medicine: MedicinePage) -> set[str]:
    """Brand names without what follows them in brackets: "Lioresal (UK)" is "lioresal"."""
    return {norm(re.sub(r"\(.*?\)", "", brand)) for brand in medicine.brand_name_list} - {""}


def screening_classes(medicine_ids: Iterable[int]) -> dict[int, list]:
    """The screening classes of each medicine (by page id), in one query."""
    classes: dict[int, list] = {pk: [] for pk in medicine_ids}
    memberships = ClassMembership.objects.filter(page_id__in=list(classes)).select_related("screening_class")
    for membership in memberships:
        classes[membership.page_id].append(membership.screening_class)
    return classes


def interaction_rows(medicine_ids: Iterable[int]) -> list[Interaction]:
    """The interaction rows of the medicines' guides, with their references and classes, in one query."""
    return list(
        Interaction.objects.filter(page_id__in=list(medicine_ids)).select_related("reference", "screening_class")
    )


def row_names(row: Interaction, medicine: MedicinePage, classes: dict[int, list]) -> str:
    """How ``row`` names ``medicine`` ("Cyclobenzaprine is one of the CNS depressants", "the row names
    Tizanidine"); "" when it does not. ``classes`` is ``screening_classes`` of at least ``medicine``."""
    for screening_class in classes.get(medicine.pk, []):
        if row.screening_class_id == screening_class.pk or any(
            mentions(row.substance, name) for name in screening_class.names
        ):
            return f"{medicine.title} is one of the {screening_class.name}"
    if any(mentions(row.substance, name) for name in medicine_names(medicine)):
        return f"the row names {medicine.title}"
    return ""


@dataclass(frozen=True)
class InteractionMatch:
    """``row`` of ``medicine``'s guide concerns ``other`` (``how`` says why)."""

    row: Interaction
    medicine: MedicinePage
    other: MedicinePage
    how: str

    @property
    def reference(self):
        return self.row.reference


def interactions_between(medicines: Iterable[MedicinePage]) -> list[InteractionMatch]:
    """Every interaction row of one of ``medicines`` that names another of them, most severe first (then in the
    guides' order). Two queries, whatever the number of medicines."""
    by_pk = {medicine.pk: medicine for medicine in medicines}
    if len(by_pk) < 2:
        return []
    classes = screening_classes(by_pk)
    found = []
    for row in interaction_rows(by_pk):
        owner = by_pk[row.page_id]
        for other in by_pk.values():
            if other.pk == owner.pk:
                continue
            how = row_names(row, other, classes)
            if how:
                found.append(InteractionMatch(row, owner, other, how))
    order = {value: index for index, value in enumerate(InteractionSeverity.values)}
    found.sort(key=lambda match: order.get(match.row.severity, len(order)))
    return found

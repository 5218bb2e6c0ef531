"""What other apps may ask of guides among pages of every type: which are tagged, which share a drug class.

Each function returns a filter or an annotation for a queryset of base ``Page``s, so that a caller (articles'
tag pages and "see also") mixes guides with its own page types in one query without reaching into the guide's
fields through the generic page.
"""

from __future__ import annotations

from django.db.models import Count, Q


def tagged_with(tag_ids) -> Q:
    """Pages that are guides with any of ``tag_ids`` (tags or their ids)."""
    return Q(medicinepage__tags__in=tag_ids)


def tagged_ids_with(tag_ids) -> Q:
    """Pages that are guides with any of ``tag_ids``, as a subquery of their ids: no join, so it stays quick on a big
    site when combined (``|``) with other page types' filters."""
    from medicines.models import MedicinePageTag

    return Q(pk__in=MedicinePageTag.objects.filter(tag__in=tag_ids).values("content_object_id"))


def shared_tag_count(tag_ids) -> Count:
    """How many of ``tag_ids`` a page, if it is a guide, carries."""
    return Count("medicinepage__tags", filter=Q(medicinepage__tags__in=tag_ids), distinct=True)


def in_drug_class(drug_class_id: int | None) -> Q:
    """Pages that are guides in the drug class ``drug_class_id``; none when it is None."""
    return Q(medicinepage__drug_class_id=drug_class_id) if drug_class_id else Q(pk__in=[])


def drug_class_id(page) -> int | None:
    """The drug class of ``page`` if it is a guide, else None."""
    return getattr(page, "drug_class_id", None)

"""The medicine checker for patients ("/medicines/checker/"): pick the medicines you take, see the interactions
between them that the guides list.

A GET form, no sign-in, nothing stored. The interactions are found by the same rule as the pharmacist's screening
of an order (``medicines.interactions``). Without JavaScript the list is filtered by sending the form with a few
letters in "Filter the list"; the medicines already picked stay picked.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render

from medicines.interactions import interactions_between
from medicines.models import MedicinePage

MAX_PICKED = 20  # medicines checked together at most
MAX_LISTED = 100  # guides listed to pick from at most; more are found with the filter
FILTER_MAX_LENGTH = 100


def picked_ids(values) -> list[int]:
    """The page ids in the query string's ``m`` values, in order, without duplicates or nonsense."""
    ids: list[int] = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**31 and number not in ids:
            ids.append(number)
    return ids[:MAX_PICKED]


def guides():
    return MedicinePage.objects.live().public().order_by("title")


def medicine_checker(request):
    """The checker page: the picked guides, the guides to pick from (filtered by ``q``), and the interactions."""
    query = " ".join(request.GET.get("q", "").split())[:FILTER_MAX_LENGTH]
    ids = picked_ids(request.GET.getlist("m"))
    picked = list(guides().filter(pk__in=ids)) if ids else []
    listed = guides().exclude(pk__in=[medicine.pk for medicine in picked])
    if query:
        listed = listed.filter(
            Q(title__icontains=query)
            | Q(generic_name__icontains=query)
            | Q(brand_names__icontains=query)
            | Q(active_ingredients__icontains=query)
        )
    listed = list(listed[: MAX_LISTED + 1])
    context = {
        "query": query,
        "picked": picked,
        "listed": listed[:MAX_LISTED],
        "more_listed": len(listed) > MAX_LISTED,
        "checked": len(picked) >= 2,
        "matches": interactions_between(picked),
        "max_picked": MAX_PICKED,
    }
    return render(request, "medicines/checker.html", context)

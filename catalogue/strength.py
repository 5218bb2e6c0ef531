"""A product's label strength read as numbers: "10 mg" is 10 of mg; "5 mg/5 mL" is 5 mg per 5 mL."""

from __future__ import annotations

import re
from typing import NamedTuple

STRENGTH_PATTERN = re.compile(
    r"^\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[^\s\d/]+)"
    r"(?:\s*/\s*(?P<per_amount>\d+(?:\.\d+)?)?\s*(?P<per_unit>[^\s\d/]+))?\s*$"
)


class Strength(NamedTuple):
    """The parts of a label strength, as written: amount and unit, and what they are per (if anything)."""

    amount: str
    unit: str
    per_amount: str | None  # "5" in "5 mg/5 mL"; None in "10 mg/mL"
    per_unit: str | None  # "mL" in "5 mg/5 mL"; None in "10 mg"


def parse_strength(text: str) -> Strength | None:
    """The label strength's parts, or None when it is not an amount, a unit and an optional "/per"."""
    match = STRENGTH_PATTERN.match(text)
    if match is None:
        return None
    return Strength(match["amount"], match["unit"], match["per_amount"], match["per_unit"])


def strength_sort_key(text: str) -> tuple:
    """Orders label strengths by amount ("5 mg", "10 mg", "20 mg", not "10 mg", "20 mg", "5 mg"): the unit and what
    it is per first, then the amount as a number; a strength the grammar cannot read sorts after, by its text."""
    strength = parse_strength(text)
    if strength is None:
        return (1, "", "", 0.0, text)
    per = f"{strength.per_amount or ''}{strength.per_unit or ''}".lower()
    return (0, strength.unit.lower(), per, float(strength.amount), text)

"""Doses, durations and strengths read from text: what a guide's usual dose allows, and what a page claims.

``daily_doses`` finds "80 mg a day", "6 g daily", "100 mg four times a day" (400 mg); ``maximum_daily_mg`` the
most a day a usual-dose text allows ("the maximum is 36 mg a day"); ``duration_limit_days`` the longest use it
allows ("for up to 2 to 3 weeks only": 21 days); ``durations`` the periods of use a text gives ("for 6 months");
``strengths_named`` the product strengths a text names ("25 mg tablets", "Dosage: 10mg, 25mg").
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

NUMBER = r"\d+(?:\.\d+)?"
TIMES = {"once": 1, "twice": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
DAILY_DOSE = re.compile(
    rf"(?P<low>{NUMBER})(?:\s*(?:to|–|-)\s*(?P<high>{NUMBER}))?\s*(?P<unit>mg|g|milligrams?|grams?)\b"
    r"(?:\s+(?P<times>once|twice|(?:two|three|four|five|six|[1-6])\s+times))?"
    r"\s*(?:(?:a|per|each|every)\s+day|/\s*day|daily|(?:in|per|every)\s+24\s+hours)",
    re.IGNORECASE,
)
LIMIT_BEFORE = re.compile(
    r"(?:maximum|max\.?|at most|not (?:to )?exceed|no more than|not more than|up to)\W*(?:is\s+)?$"
)
EXCESS_BEFORE = re.compile(
    r"(?:above|over|more than|exceed\w*|beyond|higher than|greater than|at least|≥|>)\W*$", re.IGNORECASE
)
EXCESS_AFTER = re.compile(r"^\s*(?:or|and)\s+(?:more|above|over|higher|greater)\b", re.IGNORECASE)
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
DURATION_LIMIT = re.compile(
    r"(?:up\s+to|no\s+more\s+than|not\s+more\s+than|no\s+longer\s+than|at\s+most|a\s+maximum\s+of)\s+"
    rf"(?P<low>{NUMBER})(?:\s*(?:to|–|-)\s*(?P<high>{NUMBER}))?\s*(?P<unit>day|week|month)s?\b",
    re.IGNORECASE,
)
WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8,
                "nine": 9, "ten": 10, "twelve": 12}  # fmt: skip
DURATION = re.compile(
    r"\bfor\s+(?:up\s+to\s+|at\s+least\s+|over\s+|more\s+than\s+|longer\s+than\s+)?"
    rf"(?P<count>{NUMBER}|{'|'.join(WORD_NUMBERS)})(?:\s*(?:to|–|-)\s*(?P<high>{NUMBER}))?\s*(?P<unit>week|month|year)s?\b"
    rf"|\b(?P<count2>{NUMBER})[- ](?P<unit2>week|month|year)s?[- ](?:course|treatment|use|programme|program)\b"
    r"|\b(?P<long>long[- ]term|indefinitely|for\s+(?:months|years))\b",
    re.IGNORECASE,
)
NEGATED_BEFORE = re.compile(r"\b(?:not|never|no|avoid|nor)\b[^.;]{0,30}$", re.IGNORECASE)


def _mg(amount: str, unit: str) -> Decimal:
    return Decimal(amount) * (1000 if unit.lower().startswith("g") else 1)


def _times(word: str | None) -> int:
    if not word:
        return 1
    first = word.split()[0].lower()
    return int(first) if first.isdigit() else TIMES[first]


class Amount(NamedTuple):
    text: str  # as written: "120 mg a day"
    value: Decimal  # mg a day, or days
    start: int


def daily_doses(text: str) -> list[Amount]:
    """The daily doses a text gives, in mg a day (the upper end of a range), except the thresholds it speaks of
    ("more than 80 mg a day", "800 mg a day or more")."""
    found = []
    for match in DAILY_DOSE.finditer(text or ""):
        if EXCESS_BEFORE.search(text[max(0, match.start() - 20) : match.start()]) or EXCESS_AFTER.match(
            text[match.end() :]
        ):
            continue
        amount = _mg(match.group("high") or match.group("low"), match.group("unit")) * _times(match.group("times"))
        found.append(Amount(match.group(0), amount, match.start()))
    return found


def maximum_daily_mg(text: str) -> Decimal | None:
    """The most a day a usual-dose text allows: a daily dose it calls the maximum ("the maximum is 100 mg four
    times a day": 400), or None."""
    limits = [
        dose.value
        for dose in daily_doses(text)
        if LIMIT_BEFORE.search(text[max(0, dose.start - 25) : dose.start].lower())
    ]
    return max(limits) if limits else None


def duration_limit_days(text: str) -> int | None:
    """The longest use a usual-dose text allows ("for no more than 2 to 3 weeks": 21), or None."""
    limits = [
        int(Decimal(match.group("high") or match.group("low")) * UNIT_DAYS[match.group("unit").lower()])
        for match in DURATION_LIMIT.finditer(text or "")
    ]
    return max(limits) if limits else None


def durations(text: str) -> list[Amount]:
    """The periods of use a text gives, in days ("for 6 months": 180; "long-term": a year), except those it
    rules out ("not for longer than 3 weeks")."""
    found = []
    for match in DURATION.finditer(text or ""):
        if NEGATED_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        if match.group("long"):
            days = UNIT_DAYS["year"]
        else:
            count = (match.group("high") or match.group("count") or match.group("count2")).lower()
            number = Decimal(WORD_NUMBERS[count]) if count in WORD_NUMBERS else Decimal(count)
            days = int(number * UNIT_DAYS[(match.group("unit") or match.group("unit2")).lower()])
        found.append(Amount(match.group(0), Decimal(days), match.start()))
    return found


STRENGTH_UNIT = r"(?:mg|mcg|µg|g)(?:\s*/\s*\d*(?:\.\d+)?\s*ml)?"
STRENGTH_WITH_FORM = re.compile(
    rf"(?P<amount>{NUMBER})\s*(?P<unit>{STRENGTH_UNIT})\s*(?:oral\s+)?(?:tablets?|capsules?|granules|pills?|packets?"
    r"|strength)\b",
    re.IGNORECASE,
)
STRENGTH_LIST = re.compile(
    r"\b(?:dosages?|strengths?|available\s+(?:in|as)|comes?\s+(?:in|as)|sold\s+(?:in|as)|supplied\s+(?:in|as))"
    r"\s*:?\s*(?P<list>[^.;]*\d[^.;]*)",
    re.IGNORECASE,
)
LIST_AMOUNT = re.compile(rf"(?P<amount>{NUMBER})\s*(?P<unit>{STRENGTH_UNIT})?\b", re.IGNORECASE)


def _strength_key(amount: str, unit: str) -> tuple[Decimal, str]:
    return Decimal(amount).normalize(), re.sub(r"\s+", "", unit.lower()).replace("µg", "mcg")


def strength_key(strength: str) -> tuple[Decimal, str] | None:
    """A label strength as (amount, unit): "10 mg" → (10, "mg"); "5 mg/5 mL" → (5, "mg/5ml"); else None."""
    match = re.fullmatch(rf"\s*(?P<amount>{NUMBER})\s*(?P<unit>{STRENGTH_UNIT})\s*", strength or "", re.IGNORECASE)
    return _strength_key(match.group("amount"), match.group("unit")) if match else None


def strengths_named(text: str) -> list[tuple[str, tuple[Decimal, str]]]:
    """The product strengths a text names, as written and as (amount, unit): "25 mg tablets", and each amount of
    a list after "Dosage:", "Strengths:", "available in", "comes in" ("10mg, 25mg"; "5, 10 and 20 mg")."""
    found = {}
    for match in STRENGTH_WITH_FORM.finditer(text or ""):
        found.setdefault(match.start(), (match.group(0), _strength_key(match.group("amount"), match.group("unit"))))
    for listing in STRENGTH_LIST.finditer(text or ""):
        amounts = list(LIST_AMOUNT.finditer(listing.group("list")))
        units = [amount.group("unit") for amount in amounts if amount.group("unit")]
        if not units:
            continue
        for amount in amounts:
            if DAILY_DOSE.match(listing.group("list")[amount.start() :]):
                continue  # "available in … 80 mg a day" is a dose, not a strength
            unit = amount.group("unit") or next(
                (later.group("unit") for later in amounts if later.start() > amount.start() and later.group("unit")),
                units[-1],
            )
            found.setdefault(
                listing.start("list") + amount.start(),
                (f"{amount.group('amount')} {unit}", _strength_key(amount.group("amount"), unit)),
            )
    return [found[start] for start in sorted(found)]

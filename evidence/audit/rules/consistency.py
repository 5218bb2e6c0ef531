"""Rules that hold the text to the page's own data: its side-effect figures and its review dates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation

from evidence.audit.content import PageContent
from evidence.audit.findings import ERROR, WARNING, Finding
from evidence.audit.runner import rule

PERCENT_IN_TEXT = re.compile(
    r"(?P<low>\d+(?:\.\d+)?)(?:\s*%?\s*(?:–|-|to)\s*(?P<high>\d+(?:\.\d+)?))?\s*(?:%|percent\b|per\s+cent\b)"
    r"(?P<placebo>\s+(?:on|with|for|taking|in\s+the)?\s*placebo)?",
    re.IGNORECASE,
)
REVIEW_IT = "submit it to the Guide review workflow, where a pharmacist's approval sets the dates"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")


def _effect_names(name: str) -> list[str]:
    """ "Hypotension (low blood pressure)" is found by "hypotension" or "low blood pressure"."""
    names = [re.sub(r"\s*\(.*?\)\s*", " ", name).strip(), *re.findall(r"\((.*?)\)", name)]
    return [item.casefold() for item in names if len(item) >= 3]


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _bounds(figures) -> list[tuple[str, list[str], Decimal, Decimal]]:
    """(name, names, low, high) of each side effect with a figure: a missing end is 0 or the other end."""
    effects = []
    for name, low, high in figures:
        if low is None and high is None:
            continue
        low_bound = low if low is not None else Decimal("0")
        high_bound = high if high is not None else low
        effects.append((name, _effect_names(name), low_bound, high_bound))
    return effects


def percent_contradictions(sentence: str, figures) -> Iterator[tuple[str, str, str]]:
    """(the figure as written, the side effect, the range given) for each percentage in ``sentence`` that lies
    outside the range ``figures`` (``(effect, low, high)`` rows) give for the side effect it is about: the last
    one named before it, or else the first named after it. Figures said to be on placebo are left alone."""
    effects = _bounds(figures)
    folded = sentence.casefold()
    mentions = []
    for name, names, low, high in effects:
        for alias in names:
            for match in re.finditer(rf"\b{re.escape(alias)}\b", folded):
                mentions.append((match.start(), match.end(), name, low, high))
    if not mentions:
        return
    for match in PERCENT_IN_TEXT.finditer(sentence):
        if match.group("placebo"):
            continue
        before = [mention for mention in mentions if mention[1] <= match.start()]
        if before:  # "Drowsiness (up to 60%)": the last name before the figure
            nearest = max(before, key=lambda mention: mention[1])
        else:  # "60% had drowsiness": the first name after it
            nearest = min(mentions, key=lambda mention: mention[0])
        _, _, name, low, high = nearest
        values = [_decimal(match.group("low")), _decimal(match.group("high") or match.group("low"))]
        if any(value is not None and not low <= value <= high for value in values):
            given = f"{low.normalize():f}–{high.normalize():f}%" if low != high else f"{low.normalize():f}%"
            yield match.group(0).strip(), name, given


@rule("contradicting-percentage", ERROR)
def contradicting_percentage(content: PageContent) -> Iterator[Finding]:
    """A percentage in the text, in the same sentence as a side effect's name (the last name before it, or else
    the first after it, when there are several), that lies outside the range the guide's side-effect table gives
    for that effect. Figures said to be on placebo are left alone."""
    if not _bounds(content.side_effect_figures):
        return
    for unit in content.units:
        if unit.kind != "text":
            continue
        for sentence in SENTENCE_END.split(unit.text):
            for figure, name, given in percent_contradictions(sentence, content.side_effect_figures):
                yield Finding(
                    contradicting_percentage.code,
                    ERROR,
                    unit.place,
                    f"“{figure}” for {name} contradicts the side-effect table ({given}): correct the figure in the "
                    "text or in the table, whichever its source does not say",
                )


@rule("review-overdue", WARNING)
def review_overdue(content: PageContent) -> Iterator[Finding]:
    """The next review date has passed, or a page that must be reviewed (a guide) names no next review."""
    if content.next_review_due is None:
        if content.review_required:
            yield Finding(review_overdue.code, WARNING, "Medical review", f"no next review date is set: {REVIEW_IT}")
    elif content.next_review_due < date.today():
        yield Finding(
            review_overdue.code,
            WARNING,
            "Medical review",
            f"the review was due on {content.next_review_due:%d %b %Y}: {REVIEW_IT}",
        )

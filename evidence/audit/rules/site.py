"""Rules that hold a page's text to what the site's structured data says of the medicines it names (their guides'
side effects, usual dose and legal status, and the catalogue's products), wherever on the site the page is.

A sentence is about the medicines it names; a sentence that names none is about those its paragraph names, or else
the page's only medicine (a guide's own, or the one an article names).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from evidence.audit.amounts import Amount, daily_doses, durations, strength_key, strengths_named
from evidence.audit.content import AuditUnit, MedicineFacts, PageContent
from evidence.audit.findings import ERROR, WARNING, Finding
from evidence.audit.rules.consistency import SENTENCE_END, percent_contradictions
from evidence.audit.runner import rule

CHECKED_KINDS = ("text", "table_row", "quote")


def _mentions(text: str, medicines: list[MedicineFacts]) -> list[tuple[int, MedicineFacts]]:
    """Where ``text`` names each medicine, in order."""
    folded = text.casefold()
    found = {}
    for facts in medicines:
        for name in facts.names:
            for match in re.finditer(rf"\b{re.escape(name)}\b", folded):
                found.setdefault(match.start(), facts)
    return sorted(found.items(), key=lambda item: item[0])


def _names_in(text: str, medicines: list[MedicineFacts]) -> list[MedicineFacts]:
    """The medicines ``text`` names, each once, in the order it names them."""
    return list({facts.name: facts for _, facts in _mentions(text, medicines)}.values())


def _sentences(content: PageContent) -> Iterator[tuple[AuditUnit, str, list[MedicineFacts]]]:
    """Each sentence of the page's text, table rows and quotes, with the medicines it is about. A sentence naming
    several is cut at each name: "Cyclobenzaprine causes drowsiness in 29%, baclofen in up to 63%"."""
    medicines = content.medicines or []
    if not medicines:
        return
    subject = [facts for facts in medicines if facts.name == content.subject]
    on_page = _names_in(" ".join([content.title, *(unit.text for unit in content.units)]), medicines)
    page_default = subject or (on_page if len(on_page) == 1 else [])
    for unit in content.units:
        if unit.kind not in CHECKED_KINDS:
            continue
        in_unit = _names_in(unit.text, medicines) or page_default
        for sentence in SENTENCE_END.split(unit.text):
            mentions = _mentions(sentence, medicines)
            if len({facts.name for _, facts in mentions}) < 2:
                yield unit, sentence, [facts for _, facts in mentions[:1]] or in_unit
                continue
            starts = [0] + [start for start, _ in mentions[1:]]
            ends = starts[1:] + [len(sentence)]
            for (_, facts), start, end in zip(mentions, starts, ends, strict=True):
                yield unit, sentence[start:end], [facts]


def _to_fix(facts: MedicineFacts) -> str:
    return f"correct the text, or, if the {facts.name} guide is wrong, have its guide reviewed"


@rule("contradicts-guide", ERROR)
def contradicts_guide(content: PageContent) -> Iterator[Finding]:
    """A side effect's percentage, in a sentence of text or a quote about a medicine, outside the range that
    medicine's guide gives (its side-effect table, cited to the label). A guide's own text is checked by
    "contradicting-percentage"."""
    for unit, sentence, medicines in _sentences(content):
        if unit.kind == "table_row":  # a row's figures belong to its columns, which the row's text does not name
            continue
        for facts in medicines:
            if facts.name == content.subject:
                continue
            for figure, effect, given in percent_contradictions(sentence, facts.side_effects):
                yield Finding(
                    contradicts_guide.code,
                    ERROR,
                    unit.place,
                    f"“{figure}” for {effect.lower()} on {facts.name} contradicts the {facts.name} guide's side "
                    f"effects ({given}): {_to_fix(facts)}",
                )


def _over_limit(content: PageContent, limit, amounts) -> Iterator[tuple[AuditUnit, MedicineFacts, Amount]]:
    """(unit, medicine, amount) for each amount (``amounts(sentence)``) above the medicine's ``limit(facts)``."""
    for unit, sentence, medicines in _sentences(content):
        for facts in medicines:
            bound = limit(facts)
            for amount in amounts(sentence) if bound is not None else ():
                if amount.value > bound:
                    yield unit, facts, amount


@rule("dose-above-maximum", ERROR)
def dose_above_maximum(content: PageContent) -> Iterator[Finding]:
    """A daily dose of a medicine ("120 mg a day", "30 mg four times daily") above the most its guide's usual dose
    allows ("the maximum is 80 mg a day"). A dose the text says to stay under ("more than 80 mg a day") is left
    alone."""
    for unit, facts, dose in _over_limit(content, lambda facts: facts.max_daily_mg, daily_doses):
        yield Finding(
            dose_above_maximum.code,
            ERROR,
            unit.place,
            f"“{dose.text}” of {facts.name} is above the maximum of {facts.max_daily_mg.normalize():f} mg a day in "
            f"its guide's usual dose: {_to_fix(facts)}",
        )


@rule("duration-beyond-limit", ERROR)
def duration_beyond_limit(content: PageContent) -> Iterator[Finding]:
    """A period of use of a medicine ("for 6 months", "long-term") longer than its guide's usual dose allows ("for
    no more than 2 to 3 weeks"). A period the text rules out ("not for longer than…") is left alone."""
    for unit, facts, period in _over_limit(content, lambda facts: facts.max_days, durations):
        yield Finding(
            duration_beyond_limit.code,
            ERROR,
            unit.place,
            f"“{period.text}” of {facts.name} is longer than its guide's usual dose allows ({facts.max_days} days): "
            f"{_to_fix(facts)}",
        )


def _catalogue_strengths(facts: MedicineFacts) -> str:
    listed = dict.fromkeys(strength for strength, _ in facts.products)
    return ", ".join(listed) or "none"


@rule("strength-not-in-catalogue", ERROR)
def strength_not_in_catalogue(content: PageContent) -> Iterator[Finding]:
    """A strength of a medicine ("25 mg tablets", a product box's "Dosage: 10mg, 25mg") that none of its products in
    the catalogue has: a reader is offered what the pharmacy does not sell, and may not exist. A medicine with no
    products in the catalogue is left alone."""
    for unit, sentence, medicines in _sentences(content):
        for facts in medicines:
            known = {strength_key(strength) for strength, _ in facts.products} - {None}
            if not known:
                continue
            reported = set()
            for written, key in strengths_named(sentence):
                if key not in known and key not in reported:
                    reported.add(key)
                    yield Finding(
                        strength_not_in_catalogue.code,
                        ERROR,
                        unit.place,
                        f"names a {written} strength of {facts.name}, which the catalogue does not have "
                        f"({_catalogue_strengths(facts)}): correct the strength, or remove it",
                    )


FORM_WORDS = {
    "tablet": r"tablets?",
    "capsule": r"capsules?",
    "oral_solution": r"oral\s+solutions?|liquids?|syrups?",
    "oral_suspension": r"(?:oral\s+)?suspensions?",
    "granules": r"granules",
    "injection": r"injections?|injectables?",
    "patch": r"patch(?:es)?",
    "cream": r"creams?|gels?|ointments?",
    "spray": r"sprays?|inhalers?",
    "suppository": r"suppositor(?:y|ies)",
}
CATALOGUE_FORMS = {"odt": "tablet", "er_tablet": "tablet", "er_capsule": "capsule"}  # the catalogue's, as words
FORM_CONTEXT = re.compile(r"\b(?:available|comes?|sold|supplied|marketed|forms?|buy|order)\b", re.IGNORECASE)


@rule("form-not-in-catalogue", WARNING)
def form_not_in_catalogue(content: PageContent) -> Iterator[Finding]:
    """A form of a medicine offered in the text ("available as tablets and injectables") that none of its products
    in the catalogue has. A medicine with no products in the catalogue is left alone."""
    for unit, sentence, medicines in _sentences(content):
        if not FORM_CONTEXT.search(sentence):
            continue
        for facts in medicines:
            sold = {CATALOGUE_FORMS.get(form, form) for _, form in facts.products}
            if not sold:
                continue
            for form, words in FORM_WORDS.items():
                match = re.search(rf"\b(?:{words})\b", sentence, re.IGNORECASE)
                if match and form not in sold:
                    yield Finding(
                        form_not_in_catalogue.code,
                        WARNING,
                        unit.place,
                        f"offers {facts.name} as “{match.group(0)}”, a form the catalogue does not have: say it is "
                        "not sold here, or remove it",
                    )


NO_PRESCRIPTION = re.compile(
    r"\b(?:no|without(?:\s+a|\s+any)?)\s+(?:prescription|rx|doctor'?s?(?:\s+(?:visit|note|approval))?)\b"
    r"(?:\s+(?:needed|required|necessary))?|\bprescription[- ]free\b"
    r"|\b(?:available|sold|bought|buy|get|purchased?|ordered|order|is|are)\s+(?:\w+\s+){0,3}?"
    r"(?:over[- ]the[- ]counter|OTC)\b",
    re.IGNORECASE,
)
NOT_BEFORE = re.compile(r"\b(?:not|never|cannot|can't|isn't|aren't|only|unlike)\b", re.IGNORECASE)


@rule("prescription-claim", ERROR)
def prescription_claim(content: PageContent) -> Iterator[Finding]:
    """A prescription-only medicine offered as if it needed none ("buy baclofen without a prescription", "no
    prescription needed", "over the counter"); a sentence that denies it ("is not sold over the counter") is
    left alone."""
    for unit, sentence, medicines in _sentences(content):
        match = NO_PRESCRIPTION.search(sentence)
        if not match or NOT_BEFORE.search(sentence[: match.end()]):  # "is not sold over the counter"
            continue
        for facts in medicines:
            if facts.prescription_only:
                yield Finding(
                    prescription_claim.code,
                    ERROR,
                    unit.place,
                    f"“{match.group(0)}”: {facts.name} is prescription-only (its guide's legal status): say that "
                    "it needs a prescription",
                )

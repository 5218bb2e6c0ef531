"""How reader text is read for triage (discussion/triage.py): cut into sentences and clauses, lower-cased, its
apostrophes and punctuation dropped, misspellings a letter away from the rules' words read as those words, and
negation ("no side effects so far") found. Plain Python: no network, no third-party service.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Sentence:
    """A sentence of the reader's text, as the rules read it: its clauses, and whether it asks something."""

    clauses: tuple[str, ...]
    asks: bool


# ---------------------------------------------------------------------------
# Reading the text

# Words the rules look for, to which a misspelling one letter away (two for long words) is read back.
VOCABULARY = frozenset(
    """
    pregnant pregnancy breastfeeding breastfeed breastfed conceive trimester lactating
    alcohol drinking interact interacts interaction interactions combine combined
    seizure seizures seizing convulsion convulsions convulsing unconscious unresponsive collapsed
    overdose overdosed overdosing suicide suicidal swelling swollen breathe breathing breath
    dosage dosages withdrawal withdrawals tapering stopping stopped quitting discontinue
    effects effect reaction reactions dizzy dizziness drowsy drowsiness headache headaches nausea nauseous
    vomiting diarrhea diarrhoea constipated constipation itching itchy rashes bleeding bruising
    palpitations insomnia nightmares hallucinations hallucinating tingling numbness weakness
    tired exhausted anxious anxiety depressed depression confused confusion blurred blurry
    tablets medication medicine paracetamol ibuprofen antibiotics antidepressants painkillers
    """.split()
)
VOCABULARY_BY_LETTER: dict[str, tuple[str, ...]] = {
    letter: tuple(sorted(word for word in VOCABULARY if word[0] == letter)) for letter in {w[0] for w in VOCABULARY}
}
NEGATORS = frozenset(
    "no not never without none nothing nor dont didnt doesnt havent hasnt hadnt isnt wasnt arent werent "
    "wont zero neither".split()
)
NEGATION_WINDOW = 4  # a negator up to this many words before a word negates it ("haven't had any side effects")
# A sentence asks when it has a question mark, opens as a question does, or says the reader wonders.
QUESTION_WORDS = re.compile(
    r"^(?:is|are|can|could|should|would|will|do|does|did|am|may|might|has|have|ok|okay|any|anyone|safe)\b|"
    r"\b(?:can i|could i|should i|would it|will it|is it|is that|am i|do i|how|hows|what|whats|when|which|whether|"
    r"is there|are there|advice|advise|wondering|wonder|unsure|not sure|worried|anyone know|recommend\w*)\b"
)
CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:but|though|although|however|except|whereas|yet)\b")


def _damerau(a: str, b: str, limit: int) -> int:
    """The Damerau-Levenshtein distance of ``a`` and ``b`` (letters swapped count once), or more than ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, start=1):
            cost = 0 if letter == other else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=4096)
def spelled(word: str) -> str:
    """``word`` as the rules know it: a misspelling of a word in ``VOCABULARY`` read as that word.

    Only words of six letters or more are read back (one letter off; two from nine letters), and only to a word with
    the same first letter (readers rarely get that wrong), so that short words ("does", "dose") stay what they are;
    a word that is a known word's singular or plural stays as it is.
    """
    if len(word) < 6 or word in VOCABULARY or not word.isalpha():
        return word
    if word + "s" in VOCABULARY or (word.endswith("s") and word[:-1] in VOCABULARY):
        return word  # a singular or plural, not a misspelling ("tablet", "seizure")
    limit = 2 if len(word) >= 9 else 1
    best, distance = word, limit + 1
    for known in VOCABULARY_BY_LETTER.get(word[0], ()):
        found = _damerau(word, known, limit)
        if found < distance:
            best, distance = known, found
    return best


SHORTHANDS = (
    (re.compile(r"\bo\.?d(?:'d|'ed|ed)\b"), "overdosed"),  # "OD'd", "ODed"
    (re.compile(r"\bo\.?d\.?(?= on\b)"), "overdosed"),  # "OD on"
    (re.compile(r"\bcan'?t\b|\bcannot\b|\bcan not\b"), "cant"),
    (re.compile(r"\bttc\b"), "trying to conceive"),
    (re.compile(r"\bbf\b|\bbfing\b"), "breastfeeding"),
    (re.compile(r"\bs/?h\b"), "self harm"),
    (re.compile(r"\ba ?(?:&|and|n) ?e\b"), "accident and emergency"),
)


def words(text: str) -> str:
    """A clause as the rules read it: lower case, apostrophes dropped, other punctuation a space, misspellings
    read back (``spelled``), numbers kept apart from their units ("400mg" reads "400 mg")."""
    text = re.sub(r"['’‘`]", "", text)
    text = re.sub(r"(\d)([a-z])", r"\1 \2", text)
    tokens = re.findall(r"[a-z0-9]+", text)
    return " ".join(spelled(token) for token in tokens)


def sentences(text: str) -> list[Sentence]:
    """``text`` cut into sentences (on full stops, question and exclamation marks and new lines) and clauses."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")
    for pattern, replacement in SHORTHANDS:
        text = pattern.sub(replacement, text)
    found = []
    for part in re.findall(r"[^.!?\n]+[.!?\n]*", text):
        clauses = tuple(filter(None, (words(clause) for clause in CLAUSE_BREAK.split(part) if clause)))
        if clauses:
            asks = "?" in part or any(QUESTION_WORDS.search(clause) for clause in clauses)
            found.append(Sentence(clauses, asks))
    return found


def negated(clause: str, start: int) -> bool:
    """True when a negator comes up to ``NEGATION_WINDOW`` words before position ``start`` of ``clause``."""
    before = clause[:start].split()[-NEGATION_WINDOW:]
    return any(word in NEGATORS for word in before)


def first_match(pattern: re.Pattern, clauses, *, negatable: bool = True, unless: re.Pattern | None = None):
    """The first words in ``clauses`` that ``pattern`` matches and that are not negated (when ``negatable``), in a
    clause that ``unless`` does not match; or None."""
    for clause in clauses:
        if unless is not None and unless.search(clause):
            continue
        for match in pattern.finditer(clause):
            if not (negatable and negated(clause, match.start())):
                return match.group(0)
    return None


def _re(*alternatives: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")

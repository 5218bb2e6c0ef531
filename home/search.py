"""Search that forgives: the site's own vocabulary, spelling correction, suggestions while typing, and ranking.

The vocabulary is every name a reader may type for a live guide: its title and generic name, its brands, its
active ingredients, the conditions it is used for (``Indication.condition``), its drug class and tags. It is built
in a fixed number of queries, kept in the cache under ``VOCABULARY_CACHE_KEY`` and dropped when any page is
published, unpublished or moved (``home.wagtail_hooks``). Matching is rapidfuzz's, in Python, so it behaves the
same on SQLite and PostgreSQL.

One function per rule:

- ``correct``: the nearest words of the vocabulary to the words of a query (the "Did you mean …?");
- ``condition_boosts``: how well a query names a condition each guide is used for;
- ``rank``: full-text results, guides used for the condition searched first;
- ``run``: a search, corrected when nothing matched and the correction is confident;
- ``suggestions``: what to offer while the reader types;
- ``closest_guide``: the guide nearest to a mistyped address (the 404 page).
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from rapidfuzz import fuzz, process
from wagtail.models import Page

from evidence.audit import CITATION
from home import services

VOCABULARY_CACHE_KEY = "home:search-vocabulary"
VOCABULARY_STAMP_KEY = "home:search-vocabulary-stamp"
VOCABULARY_TIMEOUT = 6 * 60 * 60  # a safety net: publishing, unpublishing and moving pages clear it at once

# rapidfuzz scores (0–100): a word this close is offered as "Did you mean …?"; this close, its results are shown.
SUGGEST_SCORE = 75
CONFIDENT_SCORE = 85
# A query word this close to a word of a condition counts as naming it ("cholestrol" names "cholesterol").
CONDITION_WORD_SCORE = 85
# The share of a query's words a guide's condition must name for the guide to rank first.
CONDITION_SHARE = 0.6
MAX_RANKED = 500
MAX_SUGGESTIONS = 8
MAX_SUGGEST_LENGTH = 100
MIN_CORRECTED_LENGTH = 4  # shorter words are not corrected: too many near neighbours
MIN_FUZZY_TYPED = 5  # while typing, near misses are offered from five letters ("tizana"), prefixes from one

# Words that say nothing about what is searched for; a condition need not name them.
STOPWORDS = frozenset(
    "a an and for from in of on or the to with my me i is it what how medicine medicines drug drugs pill pills "
    "tablet tablets treatment treat treating".split()
)
# The order kinds are offered in, best first, when they match equally well.
KIND_ORDER = ("medicine", "brand", "ingredient", "class", "condition", "tag")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def words(text: str) -> list[str]:
    """The words of ``text``, lower case, without punctuation: "Lioresal (UK)" → ["lioresal", "uk"]."""
    return WORD.findall(text.lower())


@dataclass(frozen=True)
class Term:
    """One name in the vocabulary, and where choosing it leads."""

    label: str  # as shown: "Lipitor"
    kind: str  # one of KIND_ORDER
    url: str
    detail: str = ""  # what it names, for a brand or an ingredient: "Atorvastatin"

    @property
    def key(self) -> str:
        return self.label.lower()


@dataclass
class Vocabulary:
    terms: list[Term] = field(default_factory=list)
    words: frozenset[str] = frozenset()  # every word of every term, for correcting a query word by word
    conditions: dict[int, list[list[str]]] = field(default_factory=dict)  # guide id → the words of each condition
    guides: list[Term] = field(default_factory=list)  # each guide's title and brands, for the 404 page


def brand_list(brand_names: str) -> list[str]:
    """The brands of a guide without their notes: "Lioresal (UK), Ozobax (oral solution)" → Lioresal, Ozobax."""
    names = (re.sub(r"\([^)]*\)", "", name).strip() for name in brand_names.split(","))
    return [name for name in names if name]


def search_url(text: str) -> str:
    return f"{reverse('search')}?{urlencode({'q': text})}"


def build_vocabulary() -> Vocabulary:
    """The vocabulary of the live, public guides, their classes and tags: five queries, whatever the site's size."""
    from medicines.models import DrugClassPage, Indication, MedicinePage, MedicinePageTag

    guides = list(
        MedicinePage.objects.live()
        .public()
        .only("id", "title", "url_path", "generic_name", "brand_names", "active_ingredients")
        .order_by("title", "pk")
    )
    terms: list[Term] = []
    guide_terms: list[Term] = []
    live: set[int] = set()
    for guide in guides:
        url = guide.get_url()
        if not url:  # not under any site
            continue
        live.add(guide.pk)
        names = [Term(guide.title, "medicine", url)]
        if guide.generic_name and guide.generic_name.lower() != guide.title.lower():
            names.append(Term(guide.generic_name, "medicine", url))
        names += [Term(brand, "brand", url, guide.title) for brand in brand_list(guide.brand_names)]
        terms += names
        guide_terms += names
        terms += [Term(name, "ingredient", url, guide.title) for name in guide.ingredient_list]

    conditions: dict[int, list[list[str]]] = defaultdict(list)
    seen_conditions = set()
    for page_id, condition in Indication.objects.filter(page_id__in=live).values_list("page_id", "condition"):
        conditions[page_id].append(words(condition))
        if condition.lower() not in seen_conditions:
            seen_conditions.add(condition.lower())
            terms.append(Term(condition, "condition", search_url(condition)))

    for drug_class in DrugClassPage.objects.live().public().only("id", "title", "url_path").order_by("title"):
        url = drug_class.get_url()
        if url:
            terms.append(Term(drug_class.title, "class", url))

    tags = MedicinePageTag.objects.filter(content_object_id__in=live).values_list("tag__name", "tag__slug").distinct()
    terms += [Term(name, "tag", reverse("tag", args=[slug])) for name, slug in sorted(set(tags))]

    # A name given twice (an ingredient that is the generic name, a brand of two guides' pages) is offered once.
    first: dict[tuple[str, str], Term] = {}
    for term in terms:
        first.setdefault((term.key, term.url), term)
    unique = list(first.values())
    unique.sort(key=lambda term: (KIND_ORDER.index(term.kind), term.key))
    return Vocabulary(
        terms=unique,
        words=frozenset(word for term in unique for word in words(term.label)),
        conditions=dict(conditions),
        guides=guide_terms,
    )


# This process's copy of the vocabulary, with the stamp it was cached under: a search reads the stamp from the cache
# (a few bytes) and the whole vocabulary (thousands of names, about 10 ms to unpickle on a big site) only when the
# stamp changed, i.e. when some process built it again.
_local: dict[str, object] = {}


def vocabulary() -> Vocabulary:
    """The vocabulary: this process's copy while the cache's stamp is the same, else the cache's, else built."""
    stamp = cache.get(VOCABULARY_STAMP_KEY)
    if stamp is not None and _local.get("stamp") == stamp:
        return _local["vocabulary"]
    vocab = cache.get(VOCABULARY_CACHE_KEY) if stamp is not None else None
    if vocab is None:
        vocab, stamp = build_vocabulary(), secrets.token_hex(8)
        cache.set_many({VOCABULARY_CACHE_KEY: vocab, VOCABULARY_STAMP_KEY: stamp}, VOCABULARY_TIMEOUT)
    _local.update(stamp=stamp, vocabulary=vocab)
    return vocab


def clear_vocabulary(**kwargs) -> None:
    """Forget the vocabulary (a guide, class or tag may have come or gone): the next search builds it again."""
    cache.delete_many([VOCABULARY_CACHE_KEY, VOCABULARY_STAMP_KEY])


# -- spelling -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    text: str  # the query with its unknown words replaced: "baclofen"
    score: float  # the worst replaced word's closeness (0–100)

    @property
    def confident(self) -> bool:
        return self.score >= CONFIDENT_SCORE


def correct(query: str, vocab: Vocabulary | None = None) -> Correction | None:
    """The query with each word the vocabulary does not know replaced by its nearest vocabulary word, or None when
    no word needs (or has) a replacement close enough (``SUGGEST_SCORE``)."""
    vocab = vocab or vocabulary()
    known = sorted(vocab.words)
    corrected, scores = [], []
    for word in words(query):
        if word in vocab.words or len(word) < MIN_CORRECTED_LENGTH or word.isdigit():
            corrected.append(word)
            continue
        match = process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE)
        if match is None:
            corrected.append(word)
            continue
        corrected.append(match[0])
        scores.append(match[1])
    if not scores:
        return None
    return Correction(" ".join(corrected), min(scores))


# -- ranking --------------------------------------------------------------------------------------------------


def _names(query_word: str, condition_words: list[str]) -> bool:
    return any(
        word == query_word
        or (len(query_word) >= 4 and word.startswith(query_word))  # "spasm" names "spasms"
        or fuzz.ratio(query_word, word) >= CONDITION_WORD_SCORE
        for word in condition_words
    )


def condition_boosts(query: str, vocab: Vocabulary | None = None) -> dict[int, float]:
    """For each guide used for a condition the query names, the share (``CONDITION_SHARE`` to 1) of the query's
    words its best-matching condition names: "high cholesterol" names atorvastatin's "High LDL cholesterol and
    other lipid abnormalities" fully (1.0)."""
    vocab = vocab or vocabulary()
    wanted = [word for word in words(query) if word not in STOPWORDS]
    if not wanted:
        return {}
    boosts = {}
    for page_id, conditions in vocab.conditions.items():
        share = max(sum(_names(word, condition) for word in wanted) / len(wanted) for condition in conditions)
        if share >= CONDITION_SHARE:
            boosts[page_id] = share
    return boosts


def rank(query: str, vocab: Vocabulary | None = None) -> list[int]:
    """The ids of the live guides and articles matching ``query``: guides used for the condition searched first
    (by how fully their condition names it), then the full-text order. One search query (two when no page has every
    word)."""
    ids = services.best_page_ids(query, MAX_RANKED)
    boosts = condition_boosts(query, vocab)
    order = {page_id: position for position, page_id in enumerate(ids)}
    return sorted(ids, key=lambda page_id: (-boosts.get(page_id, 0), order[page_id]))


@dataclass
class Outcome:
    """What a search found: ``ids`` best first, for ``shown_query`` (the reader's, or its confident correction),
    and a ``suggestion`` ("Did you mean …?") when nothing matched and a close word exists."""

    query: str
    shown_query: str
    ids: list[int]
    suggestion: str = ""

    @property
    def corrected(self) -> bool:
        return self.shown_query != self.query


def run(query: str) -> Outcome:
    """Search for ``query``; when nothing matches, for its correction if that is confident and finds something,
    else offer the correction as a suggestion."""
    vocab = vocabulary()
    ids = rank(query, vocab)
    if ids:
        return Outcome(query, query, ids)
    correction = correct(query, vocab)
    if correction is None or correction.text == query.lower():
        return Outcome(query, query, [])
    if correction.confident:
        corrected_ids = rank(correction.text, vocab)
        if corrected_ids:
            return Outcome(query, correction.text, corrected_ids)
    return Outcome(query, query, [], suggestion=correction.text)


# -- the results page -----------------------------------------------------------------------------------------


def snippet(text: str) -> str:
    """A result's summary without citation markers ("[1]", "[2, 3]") and their stray spaces."""
    text = CITATION.sub("", text or "")
    return re.sub(r"\s+([.,;:])", r"\1", " ".join(text.split()))


def lowest_packs(medicine_ids) -> dict[int, object]:
    """For each guide, its pack with the lowest price per unit among the products on sale (the "from" price the
    guide's product box shows), in one query."""
    from catalogue.models import Product

    lowest: dict[int, object] = {}
    for product in Product.objects.published().filter(medicine_id__in=list(medicine_ids)).grouped_with_packs():
        for pack in product.pack_list:
            best = lowest.get(product.medicine_id)
            if best is None or pack.unit_price < best.unit_price:
                lowest[product.medicine_id] = pack
    return lowest


def results_for(ids: list[int]) -> list[Page]:
    """The pages with these ids, in this order, as their specific types, each with ``snippet``; guides with
    ``price_from`` (their cheapest pack per unit, or None). A query per page type and one for the prices."""
    from medicines.models import MedicinePage

    by_id = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    pages = [by_id[page_id] for page_id in ids if page_id in by_id]
    guides = [page for page in pages if isinstance(page, MedicinePage)]
    prices = lowest_packs(page.pk for page in guides) if guides else {}
    for page in pages:
        page.snippet = snippet(getattr(page, "summary", "") or page.search_description)
        page.is_guide = isinstance(page, MedicinePage)
        if page.is_guide:
            page.price_from = prices.get(page.pk)
    return pages


# -- while typing, and the 404 page ---------------------------------------------------------------------------


def suggestions(text: str, limit: int = MAX_SUGGESTIONS) -> list[Term]:
    """What to offer while the reader types ``text``: names that start with it (or have a word that does) first,
    by kind (medicines, brands, ingredients, classes, conditions, tags); then, from five letters, near misses
    ("tizana" → Tizanidine). At most ``limit``."""
    vocab = vocabulary()
    typed = " ".join(words(text))
    if not typed:
        return []
    found: list[Term] = []
    for term in vocab.terms:  # already in kind order
        if term.key.startswith(typed) or any(word.startswith(typed) for word in words(term.label)):
            found.append(term)
    found.sort(key=lambda term: (not term.key.startswith(typed), KIND_ORDER.index(term.kind), term.key))
    if len(found) < limit and len(typed) >= MIN_FUZZY_TYPED:
        chosen = set(found)
        near = process.extract(
            typed,
            [term.key for term in vocab.terms],
            scorer=fuzz.partial_ratio,
            score_cutoff=CONFIDENT_SCORE,
            limit=limit * 2,
        )
        for _key, _score, index in near:
            term = vocab.terms[index]
            if term not in chosen:
                found.append(term)
                chosen.add(term)
    return found[:limit]


def closest_guide(text: str) -> Term | None:
    """The guide whose title, generic name or brand is nearest to ``text`` (a mistyped address such as
    "baclofn" or "tizanadine-tablets"), if near enough to offer (``SUGGEST_SCORE``)."""
    typed = " ".join(words(text.replace("-", " ")))
    if len(typed) < 3:
        return None
    guides = vocabulary().guides
    match = process.extractOne(typed, [term.key for term in guides], scorer=fuzz.WRatio, score_cutoff=SUGGEST_SCORE)
    if match is None:
        return None
    term = guides[match[2]]
    if term.kind == "brand":  # the guide is named by its title, the brand's ``detail``
        return Term(term.detail, "medicine", term.url)
    return term

"""Check a reference against its source: does what the editor typed match Crossref's or PubMed's record?

``verify_reference`` looks the DOI up at Crossref (else the PMID at PubMed), compares
title, first author, year and journal, and stores the outcome in the reference's
verification fields only, so an editor's text is never touched. It never raises for a
source's failure: that is the status "could not check".
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from evidence.models import DOI_PATTERN, VERIFICATION_FIELDS, Reference, VerificationStatus, normalise_doi
from evidence.resolvers import CrossrefResolver, PubMedResolver, ResolverError, SourceRecord

logger = logging.getLogger(__name__)

TITLE_THRESHOLD = 0.85
JOURNAL_THRESHOLD = 0.6
JOURNAL_STOP_WORDS = {"the", "of", "and", "in", "for", "on", "a", "an", "de", "la", "und", "fur"}


@dataclass
class Verification:
    status: str
    notes: str = ""
    differences: list[str] = field(default_factory=list)
    record: SourceRecord | None = None


def _ascii_lower(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")


def _alphanumerics(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _ascii_lower(text))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _ascii_lower(text))


# A sentence PubMed appends to a trial's title to name the group that ran it: "… multiple sclerosis. United Kingdom
# Tizanidine Trial Group." The paper prints the title without it.
GROUP_SENTENCE = re.compile(
    r"[.;]\s+(?:(?:the|on behalf of( the)?|for the)\s+)?[^.;]{2,150}?\b(?:group|investigators|consortium|"
    r"collaborat\w*|committee|network|team|trialists|writing group)\s*\.?\s*$",
    re.IGNORECASE,
)
MARKUP = re.compile(r"<[^>]+>")


def title_variants(source: str) -> list[str]:
    """The ways a source's title may be printed: as the record gives it, and without a trailing group sentence."""
    variants = [source]
    without_group = GROUP_SENTENCE.sub("", source)
    if without_group != source and len(_alphanumerics(without_group)) >= 10:
        variants.append(without_group)
    return variants


def title_similarity(typed: str, source: str) -> float:
    """How alike the typed title and the source's are (0–1), ignoring case, punctuation, dashes, accents and
    markup; the best of the source's variants (``title_variants``): a trailing group sentence does not count."""
    typed_compact = _alphanumerics(MARKUP.sub("", typed or ""))
    return max(
        difflib.SequenceMatcher(None, typed_compact, _alphanumerics(variant)).ratio()
        for variant in title_variants(source or "")
    )


def first_author_family(authors: str) -> str:
    """The first word of the authors as typed: "Chou R, Peterson K" → "Chou"."""
    match = re.match(r"\s*([^\s,;]+)", authors or "")
    return match.group(1) if match else ""


def author_matches(typed_authors: str, source_family: str) -> bool:
    typed = _alphanumerics(first_author_family(typed_authors))
    source_words = [_alphanumerics(word) for word in (source_family or "").split()]
    # "van der Berg": the typed first word may be any word of a compound family name; "Smith-Jones" as one.
    return bool(typed) and (typed == _alphanumerics(source_family) or typed in source_words)


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """Each word of ``short`` starts the next remaining word of ``full``: "Arch Intern Med" ~ "Archives of Internal
    Medicine"."""
    full = [word for word in full if word not in JOURNAL_STOP_WORDS]
    short = [word for word in short if word not in JOURNAL_STOP_WORDS]
    return bool(short) and len(short) == len(full) and all(f.startswith(s) for s, f in zip(short, full, strict=True))


def journal_matches(typed: str, *source_names: str) -> bool:
    typed_compact = _alphanumerics(typed)
    for name in filter(None, source_names):
        compact = _alphanumerics(name)
        if not compact or not typed_compact:
            continue
        if typed_compact in compact or compact in typed_compact:
            return True
        if difflib.SequenceMatcher(None, typed_compact, compact).ratio() >= JOURNAL_THRESHOLD:
            return True
        if _abbreviates(_words(typed), _words(name)) or _abbreviates(_words(name), _words(typed)):
            return True
    return False


def compare(reference: Reference, record: SourceRecord) -> list[str]:
    """The differences between what the editor typed and the source's record, as readable notes."""
    differences = []
    if record.title and all(
        title_similarity(reference.title, title) < TITLE_THRESHOLD for title in (record.title, record.main_title)
    ):
        differences.append(f"title: typed “{reference.title}”, source “{record.title}”")
    if reference.authors and record.author and not author_matches(reference.authors, record.author):
        differences.append(f"first author: typed “{first_author_family(reference.authors)}”, source “{record.author}”")
    if reference.year and record.year and int(reference.year) != int(record.year):
        differences.append(f"year: typed {reference.year}, source {record.year}")
    if (
        reference.container
        and (record.container or record.short_container)
        and not journal_matches(reference.container, record.container, record.short_container)
    ):
        differences.append(f"journal: typed “{reference.container}”, source “{record.container}”")
    return differences


def well_formed_doi(doi: str) -> str:
    """The DOI normalised when it has a DOI's form (10.NNNN/suffix), else ''."""
    doi = normalise_doi(doi)
    return doi if DOI_PATTERN.match(doi) else ""


def check(reference: Reference, *, sleep: Callable[[float], None] | None = None) -> Verification:
    """The verification of ``reference``, without saving it."""
    if well_formed_doi(reference.doi):
        resolver, identifier, label = CrossrefResolver(sleep=sleep), reference.doi, f"DOI {reference.doi}"
    elif reference.pmid:
        resolver, identifier, label = PubMedResolver(sleep=sleep), reference.pmid, f"PMID {reference.pmid}"
    elif reference.doi:  # never looked up: the audit says what is wrong with it ("malformed-identifier")
        return Verification(VerificationStatus.NOT_CHECKED, f"the DOI “{reference.doi}” is not well formed")
    else:
        return Verification(VerificationStatus.NOT_CHECKED, "no DOI or PMID to check")
    try:
        record = resolver.lookup(identifier)
    except ResolverError as error:
        return Verification(VerificationStatus.COULD_NOT_CHECK, str(error))
    except Exception as error:  # a bug or an unforeseen failure must not reach the editor
        logger.exception("Checking reference %s (%s) failed", reference.pk, label)
        return Verification(VerificationStatus.COULD_NOT_CHECK, f"could not check: {type(error).__name__}: {error}")
    return judge(reference, record, label)


def judge(reference: Reference, record: SourceRecord, label: str) -> Verification:
    """The verification of ``reference`` against the source's ``record`` of it (``label``: "DOI 10.…")."""
    if not record.found:
        return Verification(VerificationStatus.NOT_FOUND, f"{record.source} does not know {label}", record=record)
    differences = compare(reference, record)
    if record.retracted:
        notes = f"{record.source} records a retraction for {label}"
        if differences:
            notes += "; " + "; ".join(differences)
        return Verification(VerificationStatus.RETRACTED, notes, differences, record)
    if differences:
        return Verification(VerificationStatus.MISMATCH, "; ".join(differences), differences, record)
    return Verification(VerificationStatus.VERIFIED, f"matches {record.source}", record=record)


def verify_reference(
    reference: Reference, *, sleep: Callable[[float], None] | None = None, save: bool = True
) -> Verification:
    """Check ``reference`` against its source and store the outcome in its verification fields only."""
    return _store(reference, check(reference, sleep=sleep), save)


def _store(reference: Reference, verification: Verification, save: bool) -> Verification:
    reference.verification_status = verification.status
    reference.verification_notes = verification.notes
    reference.verified_at = None if verification.status == VerificationStatus.NOT_CHECKED else timezone.now()
    if save and reference.pk:
        reference.save(update_fields=list(VERIFICATION_FIELDS))
    return verification


def recorded_record(reference: Reference, folder: Path) -> tuple[SourceRecord, str] | None:
    """The source's record of ``reference`` from an answer recorded earlier, read as a live answer is read, with
    its label ("DOI 10.…"): Crossref's ``/works`` answer in ``folder/crossref/<DOI, "/" written "_">.json``, else
    NCBI's esummary in ``folder/pubmed/<PMID>.json``; None when neither was recorded."""
    doi, pmid = well_formed_doi(reference.doi), reference.pmid.strip() if reference.pmid.strip().isdigit() else ""
    candidates = (
        (doi, CrossrefResolver, _answer_path(folder, "crossref", doi), f"DOI {doi}"),
        (pmid, PubMedResolver, _answer_path(folder, "pubmed", pmid), f"PMID {pmid}"),
    )
    for identifier, resolver, path, label in candidates:
        if identifier and path.is_file():
            record = resolver().parse(identifier, json.loads(path.read_text(encoding="utf-8")))
            return record, label
    return None


def verify_from_recorded(reference: Reference, folder: Path, recorded: str) -> Verification | None:
    """Check ``reference`` offline against its source's answer recorded earlier (``recorded_record``) and store the
    outcome, with the notes saying whose record it was and ``recorded`` ("as recorded on 24 Nov 2026"); None, and
    nothing stored, when no answer was recorded."""
    found = recorded_record(reference, folder)
    if found is None:
        return None
    verification = judge(reference, *found)
    recorded = f"{found[0].source}'s record {recorded}"
    if verification.status == VerificationStatus.VERIFIED:
        verification.notes = f"matches {recorded}"
    else:
        verification.notes = f"{verification.notes} ({recorded})"
    return _store(reference, verification, save=True)


def _answer_path(folder: Path, source: str, identifier: str) -> Path:
    return folder / source / f"{identifier.replace('/', '_')}.json"


def record_answer(reference: Reference, folder: Path) -> Path | None:
    """Ask the source about ``reference`` now and keep its answer, as given, where ``recorded_record`` reads it:
    how the demo's answers are recorded (``manage.py verify_references --record``). None when there is nothing to
    ask or the source does not know it; a failing source raises ``ResolverError``."""
    doi, pmid = well_formed_doi(reference.doi), reference.pmid.strip() if reference.pmid.strip().isdigit() else ""
    if doi:
        resolver, source, identifier = CrossrefResolver(), "crossref", doi
    elif pmid:
        resolver, source, identifier = PubMedResolver(), "pubmed", pmid
    else:
        return None
    answer = resolver.get_json(resolver.url_for(identifier))
    if answer is None or not resolver.parse(identifier, answer).found:
        return None
    path = _answer_path(folder, source, identifier)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(answer, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path

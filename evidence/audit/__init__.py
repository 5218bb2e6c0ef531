"""The content audit: named rules that read what a page exposes and say what a reader could not check.

``evidence`` never imports the page types it audits. A page type becomes auditable by defining
``audit_content(self) -> PageContent``: its text blocks, table rows, quotes and structured rows as
``AuditUnit``s, its numbered reference list, its tags, its review dates and its side effects' figures.
``audit_page(page)`` runs every rule in ``RULES`` over that and returns the findings, errors first.

A rule is a plain function registered with ``@rule(code, severity)``; its docstring says what it checks.

Modules: ``content`` (what a page exposes: ``AuditUnit``, ``PageContent``), ``findings`` (``Finding``,
``Severity``), ``runner`` (``RULES``, ``@rule``, ``audit_page``, ``audit_content``), ``text`` (the text
helpers pages use too), ``amounts`` (doses, durations and strengths read from text), ``facts`` (where the audit
learns what the site's structured data says of the medicines a page names: ``MedicineFacts``, registered by the
apps that hold it) and ``rules/`` by kind: citations, references, identifiers, repetition, consistency, site (the
text against the medicines' guides and catalogue), claims, attribution.
"""

from evidence.audit.content import AuditUnit, MedicineFacts, PageContent
from evidence.audit.facts import FACT_SOURCES, medicines_named, register_facts_source
from evidence.audit.findings import ERROR, WARNING, Finding, Severity
from evidence.audit.rules.attribution import (
    JOURNAL_WORDS,
    TITLE_JOIN,
    TITLE_WORD,
    UNNAMED_STUDY,
    unnamed_study,
    unsourced_quote,
)
from evidence.audit.rules.citations import FIGURE_KINDS, uncited_figure, unlisted_source
from evidence.audit.rules.claims import PROMOTIONAL, promotional_claim
from evidence.audit.rules.consistency import (
    PERCENT_IN_TEXT,
    SENTENCE_END,
    contradicting_percentage,
    percent_contradictions,
    review_overdue,
)
from evidence.audit.rules.identifiers import identifier_problems, malformed_identifier
from evidence.audit.rules.references import (
    ANONYMOUS_STUDY,
    CUT_OFF_ENDINGS,
    PLACEHOLDER_AUTHORS,
    PLACEHOLDER_SURNAMES,
    UNCONFIRMED_STATUSES,
    USERNAME_LIKE,
    anonymous_study,
    author_problem,
    failed_verification,
    incomplete_reference,
)
from evidence.audit.rules.repetition import (
    DUPLICATE_MIN_LENGTH,
    SAME_CONTENT,
    SECTION_NUMBER,
    SIMILAR_CONTENT,
    SIMILAR_HEADINGS,
    STOP_WORDS,
    duplicated_section,
    duplicated_text,
    repeated_tag,
)
from evidence.audit.rules.site import (
    contradicts_guide,
    dose_above_maximum,
    duration_beyond_limit,
    form_not_in_catalogue,
    prescription_claim,
    strength_not_in_catalogue,
)
from evidence.audit.runner import RULES, Rule, audit_content, audit_page, rule
from evidence.audit.text import (
    ANY_TAG,
    BLOCK_TAGS,
    CITATION,
    FIGURE,
    PART_TAGS,
    SMALL_NUMBERS,
    citation_numbers,
    excerpt,
    figures,
    normalise,
    paragraphs,
    reference_label,
    rich_text_parts,
)

__all__ = [
    "Severity",
    "ERROR",
    "WARNING",
    "Finding",
    "AuditUnit",
    "MedicineFacts",
    "PageContent",
    "FACT_SOURCES",
    "register_facts_source",
    "medicines_named",
    "Rule",
    "RULES",
    "rule",
    "audit_content",
    "audit_page",
    "BLOCK_TAGS",
    "ANY_TAG",
    "paragraphs",
    "PART_TAGS",
    "rich_text_parts",
    "CITATION",
    "citation_numbers",
    "SMALL_NUMBERS",
    "FIGURE",
    "figures",
    "normalise",
    "reference_label",
    "excerpt",
    "FIGURE_KINDS",
    "uncited_figure",
    "unlisted_source",
    "PLACEHOLDER_AUTHORS",
    "PLACEHOLDER_SURNAMES",
    "USERNAME_LIKE",
    "author_problem",
    "CUT_OFF_ENDINGS",
    "incomplete_reference",
    "UNCONFIRMED_STATUSES",
    "failed_verification",
    "ANONYMOUS_STUDY",
    "anonymous_study",
    "DUPLICATE_MIN_LENGTH",
    "duplicated_text",
    "SECTION_NUMBER",
    "STOP_WORDS",
    "SIMILAR_HEADINGS",
    "SIMILAR_CONTENT",
    "SAME_CONTENT",
    "duplicated_section",
    "repeated_tag",
    "PERCENT_IN_TEXT",
    "SENTENCE_END",
    "contradicting_percentage",
    "percent_contradictions",
    "review_overdue",
    "identifier_problems",
    "malformed_identifier",
    "contradicts_guide",
    "dose_above_maximum",
    "duration_beyond_limit",
    "strength_not_in_catalogue",
    "form_not_in_catalogue",
    "prescription_claim",
    "PROMOTIONAL",
    "promotional_claim",
    "unsourced_quote",
    "TITLE_WORD",
    "TITLE_JOIN",
    "UNNAMED_STUDY",
    "JOURNAL_WORDS",
    "unnamed_study",
]

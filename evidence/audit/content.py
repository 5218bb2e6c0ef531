"""What a page exposes to the audit: its checkable units (``AuditUnit``) and the rest of its content
(``PageContent``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from evidence.audit.text import citation_numbers


@dataclass
class AuditUnit:
    """One checkable piece of a page.

    ``kind`` is "text", "table_row", "quote", "heading", "reference", "tag", "structured_figure" or "meta";
    ``place`` says where a reader finds it ("Side effects, row 2 (Drowsiness)", "Body, “5. Uses”, paragraph 3");
    a "heading" unit (``extra["level"]``: 2 for a section, 3 for a sub-section) starts a section of the body, and
    the units after it, up to the next heading of its level, are that section's content;
    ``reference`` is the source the row or block cites through its own field, if any; ``cites`` the
    inline citation numbers found in its text ("[3]"), filled in from ``text`` when left empty;
    ``extra`` holds anything a rule may use, e.g. ``label`` (a study's or table row's name).
    """

    kind: str
    place: str
    text: str
    reference: object | None = None
    cites: list[int] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.cites:
            self.cites = citation_numbers(self.text)


@dataclass(frozen=True)
class MedicineFacts:
    """What the site's structured data says of one medicine (its guide and its catalogue products), for the rules
    that hold any page's text to it. ``names`` are how text names it (generic and brand names, casefolded);
    ``max_daily_mg`` and ``max_days`` the most a day and the longest use its guide's usual dose allows (None when
    it sets no limit); ``products`` the catalogue's (strength, form) pairs ("10 mg", "tablet")."""

    name: str
    names: tuple[str, ...]
    side_effects: tuple[tuple[str, Decimal | None, Decimal | None], ...] = ()
    max_daily_mg: Decimal | None = None
    max_days: int | None = None
    products: tuple[tuple[str, str], ...] = ()
    prescription_only: bool = False


@dataclass
class PageContent:
    """What a page exposes to the audit (``page.audit_content()``)."""

    title: str
    units: list[AuditUnit] = field(default_factory=list)
    references: list = field(default_factory=list)  # the numbered list, in order: [0] is "[1]"
    tags: list[str] = field(default_factory=list)  # as stored or imported: may repeat
    last_reviewed: date | None = None
    next_review_due: date | None = None
    review_required: bool = False  # a guide must name its next review
    side_effect_figures: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)
    subject: str = ""  # the medicine a guide is about (its own side-effect table is checked by its own rule)
    # The medicines the page names, with their facts from anywhere on the site; None until ``audit_page`` asks the
    # registered sources (``evidence.audit.facts``).
    medicines: list[MedicineFacts] | None = None

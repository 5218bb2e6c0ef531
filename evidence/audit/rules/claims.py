"""Rules on how a page speaks of medicines: absolute or promotional safety and efficacy claims."""

from __future__ import annotations

import re
from collections.abc import Iterator

from evidence.audit.content import PageContent
from evidence.audit.findings import ERROR, Finding
from evidence.audit.runner import rule

PROMOTIONAL = re.compile(
    r"\b(?:completely|totally|perfectly|absolutely|entirely|100\s*%|100\s+percent)\s+(?:safe|harmless|effective)\b"
    r"|\b(?:always|only ever)\s+(?:mild|safe|works?|effective)\b"
    r"|\bnever\s+(?:causes?|has|gives?)\s+(?:any\s+)?(?:side effects|harm|problems)\b"
    r"|\b(?:no|without(?:\s+any)?|zero)\s+side[- ]effects\b|\bside[- ]effect[- ]free\b"
    r"|\brisk[- ]free\b|\bno\s+risks?\s+(?:at\s+all|whatsoever)\b"
    r"|\b(?:is|are|completely|totally|perfectly)\s+harmless\b"
    r"|\bmiracle\b|\bwonder[- ]drug\b|\bmagic(?:al)?\s+(?:pill|cure|bullet)\b|\bcure[- ]all\b"
    r"|\bguarantee[ds]?\s+(?:to|results?|relief|cure|success|safety)\b|\b(?:results?|relief|success)\s+guaranteed\b"
    r"|\bworks\s+for\s+everyone\b|\binstant\s+relief\b"
    r"|\b100\s*%(?!\s*(?:of|vs|versus|on|in|with|for)\b)"
    r"|\b(?:remarkable|tremendous|unbelievable|amazing|incredible)\s+(?:efficacy|relief|results?|benefits?)\b"
    r"|\bgo-to\s+(?:treatment|medication|medicine|drug)\b",
    re.IGNORECASE,
)
DENIED_BEFORE = re.compile(
    r"\b(?:not|no medicine|nothing|never|isn't|aren't|cannot|can't|no drug|none)\b[^.;:]{0,25}$", re.IGNORECASE
)


@rule("promotional-claim", ERROR)
def promotional_claim(content: PageContent) -> Iterator[Finding]:
    """An absolute or promotional claim about safety or efficacy ("completely safe", "always mild", "no side
    effects", "miracle", "100% effective", "guaranteed"): no medicine is that, and a pharmacy may not promote one
    so. A sentence that denies it ("no medicine is completely safe") is left alone."""
    for unit in content.units:
        if unit.kind not in ("text", "quote", "table_row", "heading"):
            continue
        claims = [
            match.group(0)
            for match in PROMOTIONAL.finditer(unit.text)
            if not DENIED_BEFORE.search(unit.text[max(0, match.start() - 40) : match.start()])
        ]
        if claims:
            named = ", ".join(f"“{claim}”" for claim in dict.fromkeys(claims))
            yield Finding(
                promotional_claim.code,
                ERROR,
                unit.place,
                f"{named}: an absolute or promotional claim; say what the sources found, with its figures and "
                "citation, instead",
            )

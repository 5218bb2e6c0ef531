"""The rules' registry (``RULES``, filled by ``@rule``) and the runner: ``audit_page`` and ``audit_content``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from evidence.audit.content import PageContent
from evidence.audit.facts import medicines_named
from evidence.audit.findings import Finding, Severity


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity  # the most severe level the rule reports
    check: Callable[[PageContent], Iterable[Finding]]

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


RULES: list[Rule] = []


def rule(code: str, severity: Severity):
    """Registers a rule function in ``RULES``."""

    def register(check):
        RULES.append(Rule(code, severity, check))
        check.code = code
        check.severity = severity
        return check

    return register


def audit_content(content: PageContent) -> list[Finding]:
    findings = [finding for item in RULES for finding in item.check(content)]
    return sorted(findings, key=lambda finding: finding.severity.rank)  # stable: page order within a severity


def audit_page(page) -> list[Finding]:
    """The findings for one page, errors first; a page type without ``audit_content`` has none."""
    page = getattr(page, "specific", page)
    expose = getattr(page, "audit_content", None)
    if expose is None:
        return []
    content = expose()
    if content.medicines is None:
        content.medicines = medicines_named(content)
    return audit_content(content)

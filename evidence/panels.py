"""The content audit on a page's edit screen: ``AuditPanel`` lists what the audit finds in the page as edited.

Works for any page type that has ``audit_content`` (``evidence.audit``); add ``AuditPanel()`` to its panels.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.functional import cached_property
from wagtail.admin.panels import Panel

from evidence.audit import RULES, Finding, Severity, audit_page

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShownFinding:
    """A finding as the admin shows it: with its rule's documentation, for the editor who wonders why."""

    code: str
    severity: Severity
    place: str
    message: str
    rule_doc: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def rule_docs() -> dict[str, str]:
    """Each rule's code and its documentation on one line."""
    return {item.code: " ".join(item.doc.split()) for item in RULES}


def shown(findings: list[Finding]) -> list[ShownFinding]:
    docs = rule_docs()
    return [
        ShownFinding(finding.code, finding.severity, finding.place, finding.message, docs.get(finding.code, ""))
        for finding in findings
    ]


@dataclass(frozen=True)
class AuditSummary:
    """A page's findings, ready for a template: the findings, errors first, and how many of each severity."""

    findings: list[ShownFinding]

    @classmethod
    def of(cls, page) -> AuditSummary:
        try:
            return cls(shown(audit_page(page)))
        except Exception:  # one unreadable page must not take the edit screen or the whole report down
            logger.exception("The content audit could not read page %s", page.pk)
            return cls.failed()

    @classmethod
    def of_latest(cls, page) -> AuditSummary:
        """The audit of the page's latest revision (a draft included)."""
        try:
            version = latest_version(page)
        except Exception:  # e.g. a revision that names a reference since deleted
            logger.exception("The latest revision of page %s could not be read", page.pk)
            return cls.failed()
        return cls.of(version)

    @classmethod
    def failed(cls) -> AuditSummary:
        message = "the audit could not read this version of the page; the error is in the server's log"
        return cls([ShownFinding("audit-failed", Severity.ERROR, "Whole page", message, "")])

    @property
    def errors(self) -> int:
        return sum(finding.is_error for finding in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def latest_version(page):
    """The page as its editors last saved it: the latest revision (a draft included), else the page itself."""
    return page.specific.get_latest_revision_as_object()


class AuditPanel(Panel):
    """What the content audit finds in the page as edited (its latest revision), errors first, each with its place
    and message and the rule's explanation; "No problems found" when clean. Shown only for auditable pages."""

    def __init__(self, heading="Content audit", **kwargs):
        super().__init__(heading=heading, **kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "content_audit"

    class BoundPanel(Panel.BoundPanel):
        template_name = "evidence/panels/audit_panel.html"

        def is_shown(self) -> bool:
            return hasattr(self.instance, "audit_content")

        @cached_property
        def audit(self) -> AuditSummary | None:
            if self.instance is None or self.instance.pk is None:
                return None  # a page being created has nothing saved to audit yet
            return AuditSummary.of(self.instance)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["audit"] = self.audit
            return context

"""The "Evidence audit" report (Reports menu): every auditable page as its editors last saved it, with its findings.

Pages are auditable when their type has ``audit_content`` (guides, articles); ``evidence`` never imports them.
"""

from __future__ import annotations

import datetime

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, get_page_models

from evidence.panels import AuditSummary


def auditable_content_types():
    """The content types of the page models that expose their content to the audit."""
    models = [model for model in get_page_models() if hasattr(model, "audit_content")]
    ids = [content_type.pk for content_type in ContentType.objects.get_for_models(*models).values()]
    return ContentType.objects.filter(pk__in=ids).order_by("model")


def audit_pages(pages) -> dict[int, AuditSummary]:
    """Each page's audit (of its latest revision), by page id."""
    return {page.pk: AuditSummary.of_latest(page) for page in pages.specific().iterator(chunk_size=100)}


class EvidenceAuditFilterSet(WagtailFilterSet):
    errors = django_filters.ChoiceFilter(
        label="Errors",
        choices=[("yes", "Has errors"), ("no", "No errors")],
        empty_label="Any",
        method="filter_errors",
    )
    content_type = ContentTypeFilter(label="Type", queryset=lambda request: auditable_content_types())

    class Meta:
        model = Page
        fields = ["errors", "content_type", "live"]

    def filter_errors(self, queryset, name, value):
        """Only the pages whose latest revision has (or has not) errors: every page matching the other filters is
        audited to know, and the audits are kept (``audits``) so the listing does not audit them again."""
        self.audits = audit_pages(queryset)
        wanted = [pk for pk, audit in self.audits.items() if bool(audit.errors) == (value == "yes")]
        return queryset.filter(pk__in=wanted)


class EvidenceAuditReportView(ReportView):
    """Every guide and article the user may edit, drafts included, with its error and warning counts and findings."""

    page_title = "Evidence audit"
    header_icon = "doc-full"
    model = Page  # the page permission policy: staff who may add, change or publish pages
    any_permission_required = ["add", "change", "publish"]
    filterset_class = EvidenceAuditFilterSet
    index_url_name = "evidence_audit"
    index_results_url_name = "evidence_audit_results"
    results_template_name = "evidence/reports/evidence_audit_results.html"
    context_object_name = "pages"
    list_export = ["title", "page_type", "status_string", "audit.errors", "audit.warnings", "findings_text", "edit_url"]
    export_headings = {
        "title": "Title",
        "page_type": "Type",
        "status_string": "Status",
        "audit.errors": "Errors",
        "audit.warnings": "Warnings",
        "findings_text": "Findings",
        "edit_url": "Edit",
    }

    def get_filename(self) -> str:
        return f"evidence-audit-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        self.queryset = (
            self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
            .filter(content_type__in=auditable_content_types())
            .select_related("content_type")
            .order_by("title", "pk")
        )
        return super().get_queryset()

    def get_filtered_queryset(self):
        return self.get_queryset()  # get_queryset() has filtered already: the audit filter is not cheap to repeat

    def decorate_paginated_queryset(self, pages):
        known = getattr(self.filters, "audits", {}) if self.filters else {}
        decorated = []
        for page in pages:
            page.audit = known.get(page.pk) or AuditSummary.of_latest(page)
            page.page_type = page.specific_class._meta.verbose_name
            page.findings_text = "\n".join(
                f"{finding.severity.value} {finding.code}: {finding.place}: {finding.message}"
                for finding in page.audit.findings
            )
            page.edit_url = self.request.build_absolute_uri(reverse("wagtailadmin_pages:edit", args=[page.pk]))
            decorated.append(page)
        return decorated

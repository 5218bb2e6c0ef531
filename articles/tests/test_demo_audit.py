"""The audit rules added for imported articles stay quiet on the demo's own guides and articles."""

import pytest

pytestmark = pytest.mark.django_db

IMPORT_RULES = {"duplicated-section", "unsourced-quote", "unnamed-study"}


def test_the_rules_for_imported_content_do_not_fire_on_the_demo(demo):
    from wagtail.models import Page

    from evidence.audit import audit_page

    pages = [page for page in Page.objects.specific() if hasattr(page, "audit_content")]
    assert len(pages) >= 11
    assert any(unit.kind == "heading" for page in pages for unit in page.audit_content().units)
    fired = [(page.title, finding) for page in pages for finding in audit_page(page) if finding.code in IMPORT_RULES]
    assert fired == []

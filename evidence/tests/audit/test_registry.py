"""The content audit (``evidence.audit``): its registry of rules, the page hook, and ``manage.py audit_content``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evidence.audit import ERROR, RULES, WARNING, AuditUnit, audit_page
from evidence.tests.audit.helpers import run, table, verified

pytestmark = pytest.mark.django_db


# --- the registry and the page hook ---------------------------------------------------------------------------------


def test_every_rule_is_named_documented_and_registered_once():
    found = [item.code for item in RULES]
    assert len(found) == len(set(found))
    assert set(found) >= {
        "uncited-figure",
        "unlisted-source",
        "incomplete-reference",
        "failed-verification",
        "anonymous-study",
        "duplicated-text",
        "repeated-tag",
        "contradicting-percentage",
        "review-overdue",
        "duplicated-section",
        "unsourced-quote",
        "unnamed-study",
    }
    for item in RULES:
        assert item.severity in (ERROR, WARNING)
        assert len(item.doc) > 30, item.code


def test_a_clean_guide_and_a_clean_article_have_no_findings(build_guide, build_article):
    assert audit_page(build_guide()) == []
    source = verified()
    body = [
        ("paragraph", "<p>Drowsiness was reported by 10–63% of people [1].</p>"),
        ("quote", {"quote": "little evidence of improvement in function", "reference": source}),
        table("Label figures", [["Effect", "Share"], ["Drowsiness", "10–63%"]], source),
    ]
    assert audit_page(build_article(body, references=[source])) == []


def test_pages_without_audit_content_are_skipped(site_pages):
    assert audit_page(site_pages["home"]) == []


def test_findings_come_errors_first(build_guide):
    page = build_guide(pregnancy="In rats, about 13 times the maximum human dose.", next_review_due=None)
    severities = [finding.severity for finding in audit_page(page)]
    assert severities == sorted(severities, key=lambda severity: severity.rank)
    assert severities[0] == ERROR and severities[-1] == WARNING


def test_a_unit_reads_its_citations_from_its_text():
    assert AuditUnit("text", "Body", "As shown [2].").cites == [2]


# --- manage.py audit_content ----------------------------------------------------------------------------------------


def test_the_command_passes_a_clean_site(build_guide):
    build_guide()
    output = run("--all")
    assert "Baclofen" in output and "no findings" in output
    assert "Audited 1 page: 0 errors (on 0 pages), 0 warnings." in output


def test_the_command_fails_on_an_error_and_names_it(build_guide):
    build_guide(pregnancy="In rats, baclofen caused omphaloceles at about 13 times the maximum human dose.")
    build_guide("Tizanidine", next_review_due=None)
    out = StringIO()
    with pytest.raises(CommandError, match="1 error found"):
        call_command("audit_content", "--all", stdout=out)
    output = out.getvalue()
    assert "ERROR uncited-figure  Baclofen › Pregnancy: “13 times the maximum human dose” has no citation" in output
    assert "WARNING review-overdue  Tizanidine › Medical review: no next review date is set" in output
    assert "Audited 2 pages: 1 error (on 1 page), 1 warning." in output


def test_the_command_audits_one_slug_and_warnings_do_not_fail(build_guide):
    build_guide(pregnancy="About 13 times the maximum human dose.")
    build_guide("Tizanidine", next_review_due=None)
    output = run("--slug", "tizanidine")
    assert "Audited 1 page: 0 errors (on 0 pages), 1 warning." in output
    assert "Baclofen" not in output


def test_the_command_needs_a_choice_and_a_known_slug(site_pages):
    with pytest.raises(CommandError, match="--slug SLUG or --all"):
        run()
    with pytest.raises(CommandError, match="No page has the slug"):
        run("--slug", "nothing-here")
    with pytest.raises(CommandError, match="no content to audit"):
        run("--slug", site_pages["home"].slug)


def test_the_command_lists_its_rules():
    output = run("--rules")
    assert "uncited-figure (ERROR)" in output and "review-overdue (WARNING)" in output

"""The audit's repetition rules: duplicated-text, repeated-tag, duplicated-section."""

import pytest

from evidence.audit import ERROR, WARNING, PageContent, audit_content, audit_page
from evidence.tests.audit.helpers import heading

pytestmark = pytest.mark.django_db


# --- duplicated-text ------------------------------------------------------------------------------------------------


def test_a_repeated_paragraph_is_a_warning(build_article):
    text = "<p>Baclofen should never be stopped suddenly, because of withdrawal.</p>"
    findings = audit_page(
        build_article([("paragraph", text), ("paragraph", "<p>Short.</p>"), ("paragraph", text.upper())])
    )
    assert [(f.code, f.severity, f.place) for f in findings] == [("duplicated-text", WARNING, "Body, paragraph 3")]
    assert "Body, paragraph 1" in findings[0].message


def test_short_repeats_are_not_reported(build_article):
    assert audit_page(build_article([("paragraph", "<p>Ask your pharmacist.</p>")] * 2)) == []


# --- repeated-tag ---------------------------------------------------------------------------------------------------


def test_a_tag_repeated_in_another_case_is_an_error():
    findings = audit_content(PageContent(title="Imported", tags=["Spasticity", "muscle relaxant", "spasticity "]))
    assert [(f.code, f.severity, f.place) for f in findings] == [("repeated-tag", ERROR, "Tags")]
    assert "Spasticity" in findings[0].message


def test_distinct_tags_pass(build_guide):
    assert audit_page(build_guide(tags=["spasticity", "muscle relaxant"])) == []


# --- duplicated-section ---------------------------------------------------------------------------------------------

SIDE_EFFECTS = (
    "<p>Baclofen may cause drowsiness, dizziness, nausea, headache and weakness; tell your doctor when they last.</p>"
    "<ul><li>Drowsiness</li><li>Dizziness</li><li>Nausea</li><li>Headache</li></ul>"
)


@pytest.mark.parametrize(
    "first, second, words",
    [
        ("5. Potential Side Effects of Baclofen", "6. Side Effects of Baclofen", "a similar heading"),
        ("1. Side effects", "II. Side Effects", "the same heading"),
    ],
)
def test_a_section_written_twice_is_a_warning(build_article, first, second, words):
    page = build_article(
        [
            heading(first),
            ("paragraph", SIDE_EFFECTS),
            heading("Common", "h3"),
            ("paragraph", "<p>Very common.</p>"),
            heading("Dosage"),
            ("paragraph", "<p>Start low and increase slowly, as your prescriber says.</p>"),
            heading(second),
            ("paragraph", SIDE_EFFECTS.replace("tell your doctor", "ask your pharmacist")),
        ]
    )
    (finding,) = audit_page(page)
    assert (finding.code, finding.severity, finding.place) == ("duplicated-section", WARNING, f"Body, “{second}”")
    assert f"repeats the section “{first}”: {words}" in finding.message


def test_sections_with_similar_headings_but_other_content_pass(build_article):
    page = build_article(
        [
            heading("Side effects in adults"),
            ("paragraph", SIDE_EFFECTS),
            heading("Side effects in children"),
            ("paragraph", "<p>Children were not studied; the label gives no figures for them.</p>"),
        ]
    )
    assert audit_page(page) == []

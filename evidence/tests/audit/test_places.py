"""Where the audit places each part of an article's body, and the tags it reads."""

import pytest

from evidence.audit import audit_page, rich_text_parts
from evidence.tests.audit.helpers import heading, table, verified

pytestmark = pytest.mark.django_db


# --- places in an article's body ------------------------------------------------------------------------------------


def test_an_article_places_each_part_in_its_section(build_article):
    source = verified()
    page = build_article(
        [
            ("paragraph", "<p>Before any heading.</p>"),
            heading("5. Side effects"),
            ("paragraph", "<p>First.</p><p>Second.</p>"),
            heading("Common", "h3"),
            ("paragraph", "<ul><li>Drowsiness</li><li>Dizziness</li></ul>"),
            ("quote", {"quote": "fair evidence", "reference": source, "attribution": ""}),
            table("Common", [["Effect", "Share"], ["Drowsiness", "10–63% [1]"]]),
            table("Label figures", [["Effect", "Share"], ["Dizziness", "5–15% [1]"]]),
            heading("6. Warnings"),
            ("paragraph", "<p>Third.</p>"),
        ],
        references=[source],
    )
    units = [(unit.kind, unit.place) for unit in page.audit_content().units]
    assert units == [
        ("text", "Summary"),
        ("text", "Body, paragraph 1"),
        ("heading", "Body, “5. Side effects”"),
        ("text", "Body, “5. Side effects”, paragraph 1"),
        ("text", "Body, “5. Side effects”, paragraph 2"),
        ("heading", "Body, “5. Side effects” › “Common”"),
        ("text", "Body, “5. Side effects” › “Common”, list item 1"),
        ("text", "Body, “5. Side effects” › “Common”, list item 2"),
        ("quote", "Body, “5. Side effects” › “Common”, quote 1"),
        ("table_row", "Body, “5. Side effects” › “Common”, table 1, row 1 (Drowsiness)"),
        ("table_row", "Body, “5. Side effects” › “Common”, table “Label figures”, row 1 (Dizziness)"),
        ("heading", "Body, “6. Warnings”"),
        ("text", "Body, “6. Warnings”, paragraph 1"),
    ]
    assert audit_page(page) == []


def test_rich_text_parts_tell_list_items_from_paragraphs():
    assert rich_text_parts("<p>A</p><ol><li>b</li><li>c<br>d</li></ol><p>e &amp; f</p>") == [
        ("paragraph", "A"),
        ("list item", "b"),
        ("list item", "c"),
        ("list item", "d"),
        ("paragraph", "e & f"),
    ]


def test_imported_tags_are_audited_as_found_until_cleared(build_article):
    page = build_article(
        [("paragraph", "<p>Ask your pharmacist.</p>")], tags=["Baclofen"], imported_tags="Baclofen, Baclofen"
    )
    (finding,) = audit_page(page)
    assert (finding.code, finding.place, finding.message) == (
        "repeated-tag",
        "Tags",
        "“Baclofen” repeats “Baclofen”: keep one (and clear imported tags)",
    )
    page.imported_tags = ""
    assert audit_page(page) == []

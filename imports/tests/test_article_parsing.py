"""Importing a legacy article: plain text and HTML read into blocks, and citations into fields
(``imports.articles.text``, ``.html``, ``.references``)."""

from __future__ import annotations

import pytest

from articles.models import ArticlePage
from evidence.models import ReferenceKind
from imports import articles as importing
from imports.tests.article_helpers import POST, SEED, run_import

pytestmark = pytest.mark.django_db

# --- plain text: the heuristics, on the seed's own structure --------------------------------------------------------


def test_the_seed_tables_are_cut_into_their_columns():
    document = importing.parse_text(SEED.read_text(encoding="utf-8"))
    tables = [(block.text, block.rows) for block in document.blocks if block.kind == "table"]
    assert tables == [
        (
            "",
            [
                ["Study", "Number of Participants", "Findings"],
                [
                    "Smith et al. (2018)[1]",
                    "200",
                    "Baclofen significantly reduced muscle spasticity in 90% of participants with multiple sclerosis.",
                ],
                [
                    "Doe et al. (2019)[2]",
                    "150",
                    "Individuals with spinal cord injuries experienced a 40% reduction in muscle stiffness after "
                    "Baclofen treatment.",
                ],
                [
                    "Sullivan et al. (2020)[3]",
                    "80",
                    "Baclofen showed considerable improvement in motor function and muscle tightness in children "
                    "with cerebral palsy.",
                ],
            ],
        ),
        (
            "",
            [
                ["Study", "Findings"],
                [
                    "Study 1",
                    "Baclofen demonstrated significant reduction in muscle spasticity in 80% of participants with "
                    "spinal cord injuries.",
                ],
                [
                    "Study 2",
                    "Patients with multiple sclerosis experienced a 60% decrease in muscle spasms after Baclofen "
                    "treatment.",
                ],
            ],
        ),
        (
            "",
            [
                ["Study", "Findings"],
                [
                    "Journal of Neurology, Neurosurgery, and Psychiatry",
                    "Baclofen significantly reduces muscle spasticity in spinal cord injury patients",
                ],
                [
                    "European Journal of Neurology",
                    "Baclofen reduces muscle tone and improves mobility in multiple sclerosis patients",
                ],
            ],
        ),
        (
            "",
            [
                ["Side Effect", "Percentage of Patients"],
                ["Drowsiness", "35.2%"],
                ["Dizziness", "21.4%"],
                ["Weakness", "17.5%"],
            ],
        ),
        (
            "Survey Results: Baclofen Usage in Off-Label Conditions",
            [
                ["Condition", "Effectiveness", "References"],
                ["Alcohol Dependence", "Reduces cravings and alcohol consumption", "“Alcohol and Alcoholism”"],
                [
                    "Substance Use Disorders",
                    "Reduces cravings and improves treatment outcomes",
                    "“Journal of Clinical Psychopharmacology”, “Journal of Addiction Medicine”",
                ],
                [
                    "Psychiatric Conditions",
                    "Decreases symptoms of anxiety and obsessive-compulsive disorder",
                    "“Journal of Psychopharmacology”, “Journal of Clinical Psychopharmacology”",
                ],
            ],
        ),
    ]


def test_plain_text_blocks_are_told_apart():
    document = importing.parse_text(SEED.read_text(encoding="utf-8"))
    blocks = document.blocks
    lists = [block for block in blocks if block.kind == "list"]
    assert (
        lists[0].items[0]
        == "Manage muscle spasms and involuntary contractions caused by conditions like multiple sclerosis."
    )
    assert not lists[0].ordered and lists[2].ordered  # "•" bullets, then "1. Improved Muscle Relaxation: …"
    lead_in = next(block for block in blocks if block.text == "Some common side effects of Baclofen include:")
    assert lead_in.kind == "paragraph"  # a sentence leading into a list, not a heading
    assert [block.text for block in blocks if block.kind == "heading" and block.level == 3][:2] == [
        "GABAergic mechanism of Baclofen",
        "Efficacy of Baclofen in reducing spasticity",
    ]
    references = [block.items for block in blocks if block.kind == "references"]
    assert [len(items) for items in references] == [3, 3]
    assert references[0][2] == "Sullivan CD, et al. ("
    assert (document.tags, document.categories) == (["Baclofen", "Baclofen"], ["Muscle Relaxant"])
    assert document.see_also == [
        "Exploring Baclofen - A Comprehensive Guide to Muscle Relaxant Medication and Online Ordering Benefits"
    ]


def test_a_paragraph_of_wrapped_lines_is_not_a_table():
    document = importing.parse_text(
        "A title\n\nBaclofen is a medicine that doctors prescribe\nfor muscle stiffness, and this line is wrapped\n"
        "like an e-mail.\n"
    )
    assert [block.kind for block in document.blocks] == ["paragraph"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Chou R, Peterson K, Helfand M. Comparative efficacy and safety of skeletal muscle relaxants. "
            "J Pain Symptom Manage. 2004;28(2):140-75. doi:10.1016/j.jpainsymman.2004.05.002",
            dict(
                authors="Chou R, Peterson K, Helfand M",
                title="Comparative efficacy and safety of skeletal muscle relaxants",
                container="J Pain Symptom Manage",
                year=2004,
                volume="28(2)",
                pages="140-75",
                doi="10.1016/j.jpainsymman.2004.05.002",
            ),
        ),
        (
            "Roe R. (2020). An invented paper. Example Journal, 3, 10-12. https://doi.org/10.5555/ABC.1. PMID: 123",
            dict(
                authors="Roe R",
                title="An invented paper",
                container="Example Journal",
                year=2020,
                volume="3",
                pages="10-12",
                doi="10.5555/ABC.1",
                pmid="123",
            ),
        ),
        ("Sullivan CD, et al. (", dict(authors="Sullivan CD, et al.", title="Sullivan CD, et al. (", truncated=True)),
    ],
)
def test_references_are_read_field_by_field(text, expected):
    parsed = importing.parse_reference(text)
    assert {name: getattr(parsed, name) for name in expected} == expected


# --- HTML: structure recognised, everything dangerous gone ---------------------------------------------------------


def test_a_wordpress_post_keeps_its_structure_and_loses_its_scripts(site_pages):
    output = run_import(POST, "--no-verify")
    page = ArticlePage.objects.get()
    assert page.title == "Placebonol Explained: A Made-Up Medicine for Testing"
    body = [(block.block_type, block.value) for block in page.body]
    assert [kind for kind, _ in body] == [
        "paragraph", "callout", "heading", "paragraph", "paragraph", "heading", "paragraph", "heading", "table",
        "quote",
    ]  # fmt: skip
    box = body.pop(1)[1]  # the product box, kept for the audit and the editor, who deletes it
    assert str(box["text"]).startswith("<p>Placebonol</p><p>Price: $1,23 per pill</p>")
    assert str(body[0][1]) == (
        "<p>Placebonol is an <b>invented</b> medicine used only to test the importer. "
        '<a href="https://example.org/placebonol">Read more</a> and this link goes nowhere.</p>'
    )
    assert (body[1][1]["text"], body[1][1]["level"]) == ("How Placebonol Is Taken", "h2")
    assert str(body[3][1]) == "<ul><li>Take it with water.</li><li>Store it in a <i>dry</i> place.</li></ul>"
    assert (body[4][1]["text"], body[4][1]["level"]) == ("Missed Doses", "h3")
    assert str(body[5][1]).startswith("<ol><li>Take it when you remember.</li>")
    table = body[7][1]
    assert table["caption"] == "Invented results of an invented trial"
    assert table["table"]["data"] == [["Group", "Share helped"], ["Placebonol", "42% [2]"], ["Nothing", "40%"]]
    assert body[8][1]["quote"] == "Placebonol is exactly as good as nothing."
    assert body[8][1]["attribution"] == "Example Journal of Invented Medicine"
    stored = str([block for block in page.body.raw_data if block["type"] != "callout"]) + page.summary + page.title
    for hostile in ("script", "stolen", "window.evil", "onclick", "onmouseover", "javascript", "iframe", "frames",
                    "color: red", "Example Pharmacy Blog", "Leave a Reply"):  # fmt: skip
        assert hostile not in stored, hostile
    references = [row.reference for row in page.numbered_references]
    assert [(ref.authors, ref.year, ref.container, ref.doi, ref.kind) for ref in references] == [
        ("Roe R, Poe P", 2021, "Example J Invented Med", "10.5555/placebonol.2021", ReferenceKind.JOURNAL_ARTICLE),
        ("Example Agency", None, "", "", ReferenceKind.WEB_PAGE),
    ]
    assert references[1].url == "https://example.org/agency/placebonol"
    assert page.imported_tags == "Placebonol, testing, Placebonol"
    assert "Kept a product box “Placebonol” (Price: $1,23 per pill; Active Ingredient: Nothing at all" in output
    assert "ERROR repeated-tag  Tags: “Placebonol” repeats “Placebonol”" in output
    assert (
        "ERROR uncited-figure  Body, “Example Figures”, table “Invented results of an invented trial”, row 2 (Nothing)"
        in output
    )
    assert "row 1 (Placebonol)" not in output  # "42% [2]" cites the second reference


def test_markers_are_renumbered_to_the_page_list_when_there_are_two_lists(site_pages):
    text = (
        "Two posts in one\n\nFirst post\n\nShown in 10% of people [1].\n\nReferences:\n\n"
        "1. Roe R. (2020). An invented paper. Example Journal, 3, 10-12. DOI: 10.5555/one\n\n"
        "Second post\n\nShown in 20% of people [1].\n\nReferences:\n\n"
        "1. Poe P. (2021). Another invented paper. Example Journal, 4, 1-2. DOI: 10.5555/two\n"
    )
    document = importing.parse_text(text)
    result = importing.create_draft(document, site_pages["articles"], origin="two-posts.txt")
    paragraphs = [str(block.value) for block in result.page.body if block.block_type == "paragraph"]
    assert paragraphs == ["<p>Shown in 10% of people [1].</p>", "<p>Shown in 20% of people [2].</p>"]
    assert [ref.doi for ref in result.references] == ["10.5555/one", "10.5555/two"]


# --- what the sanitiser would lose ------------------------------------------------------------------------------------

UNCLOSED_MATH_POST = """<!DOCTYPE html><html><head><title>Dosing by weight – Example Blog</title></head><body>
<article><h1>Dosing by weight</h1>
<div class="entry-content">
<p>The dose is worked out from the child's weight: <math display="inline"><mi>d</mi><mo>=</mo><mn>0.3</mn><mi>w
</p>
<section><h2>How it is taken</h2><p>Twice a day with food [1].</p></section>
<section><h2>Side effects</h2><p>Drowsiness is the most common [2].</p></section>
<h2>References</h2>
<ol>
<li>Smith AB, Jones C. Weight-based dosing in children. J Paediatr Pharm. 2018;12(3):45-52.</li>
<li>Example Pharma. Exampledol tablets: prescribing information. 2020. https://example.org/label</li>
</ol>
<p>Tags: dosing, children</p>
</div></article></body></html>"""


def test_an_unclosed_formula_no_longer_swallows_the_rest_of_the_page_and_is_reported():
    document = importing.parse_html(UNCLOSED_MATH_POST)
    headings = [block.text for block in document.blocks if block.kind == "heading"]
    assert headings == ["How it is taken", "Side effects"]
    assert len(document.references) == 2
    assert document.tags == ["dosing", "children"]
    assert document.blocks[0].text == "The dose is worked out from the child's weight:"
    assert document.notes == [
        "An unclosed <math> element (“d = 0.3 w”) was dropped up to the end of the element around it; the text "
        "after it is kept. Check that part of the draft against the source."
    ]


def test_a_closed_formula_is_dropped_with_a_note_saying_what_it_said():
    document = importing.parse_html(
        "<article><h1>T</h1><p>Clearance: <math><mi>C</mi><mo>=</mo><mn>2</mn></math> L/h.</p></article>"
    )
    assert document.blocks[0].text == "Clearance: L/h."
    assert document.notes == ["Dropped a <math> element (“C = 2”): write what it said as text if it matters."]


def test_scripts_styles_and_frames_are_dropped_without_a_note():
    document = importing.parse_html(
        "<article><h1>T</h1><script>var a = 1;</script><style>p {}</style><p>Kept.</p>"
        "<iframe src='https://ads.example.org/'>No frames.</iframe></article>"
    )
    assert [block.text for block in document.blocks] == ["Kept."] and document.notes == []


def test_words_the_sanitiser_dropped_are_counted_and_quoted():
    from imports.articles.losses import loss_note, lost_words

    assert lost_words("a b c d", "a  b\nc d") == []
    runs = lost_words(
        "Take one tablet. Side effects are rare. References follow.", "Take one tablet. References follow."
    )
    assert runs == ["Side effects are rare."]
    assert loss_note(runs) == (
        "Sanitising the page dropped 4 words of its text, starting “Side effects are rare.”: check the draft "
        "against the source."
    )


def test_the_report_warns_when_no_reference_list_was_found(site_pages):
    result = importing.import_source(
        importing.Source(b"<article><h1>A short note</h1><p>Drink water.</p></article>", "note.html", "text/html"),
        verify=False,
    )
    assert "  References: 0. WARNING: no reference list was found" in "\n".join(importing.report(result))
    (warning,) = importing.warnings(result)
    assert warning.startswith("References: no reference list was found")

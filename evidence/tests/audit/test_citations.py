"""The audit's citation and attribution rules: uncited-figure, unlisted-source, unsourced-quote, unnamed-study."""

import pytest

from evidence.audit import ERROR, WARNING, audit_page, citation_numbers, figures
from evidence.audit.rules.citations import CITE_IT
from evidence.tests.audit.helpers import codes, heading, quote, table, verified
from medicines.models import MedicinePage, Study

pytestmark = pytest.mark.django_db


# --- uncited-figure -------------------------------------------------------------------------------------------------


def test_figures_are_percentages_counts_and_n_in_10():
    assert figures("In rats, omphaloceles at about 13 times the maximum human dose.") == [
        "13 times the maximum human dose"
    ]
    assert figures("Affects 1 in 10 people")[0].startswith("1 in 10")
    assert figures("63% vs 36%")[:1] == ["63% vs 36%"]
    assert figures("A trial of 175 patients")[0].startswith("175 patients")
    assert figures("Take 10 mg 3 times a day, or 2 times daily.") == []


def test_a_figure_without_a_citation_is_an_error(build_guide):
    findings = audit_page(
        build_guide(pregnancy="In rats, baclofen caused omphaloceles at about 13 times the maximum human dose.")
    )
    assert [(f.code, f.place, f.message) for f in findings] == [
        ("uncited-figure", "Pregnancy", f"“13 times the maximum human dose” has no citation: {CITE_IT}")
    ]


def test_an_inline_marker_or_a_row_source_cites_the_figure(build_guide):
    page = build_guide(
        pregnancy="About 13 times the maximum human dose [1].",
        warnings="<p>Drowsiness in 10–63% of people [1].</p><p>Take it 3 times a day.</p>",
    )
    assert "uncited-figure" not in codes(audit_page(page))  # side-effect rows cite their reference too


def test_a_marker_past_the_list_does_not_cite(build_guide):
    findings = audit_page(build_guide(pregnancy="About 13 times the maximum human dose [4]."))
    assert codes(findings) == ["uncited-figure", "unlisted-source"]
    assert "[4] but the reference list has 1 entry" in findings[1].message


def test_an_article_table_without_a_source_is_an_error(build_article):
    page = build_article([table("Figures", [["Effect", "Share"], ["Drowsiness", "63%"]])])
    (finding,) = audit_page(page)
    assert finding.code == "uncited-figure"
    assert finding.place == "Body, table “Figures”, row 1 (Drowsiness)"


def test_every_uncited_figure_of_a_paragraph_is_named(build_article):
    page = build_article([("paragraph", "<p>Drowsiness (35.2%), dizziness (21.4%) and weakness (17.5%).</p>")])
    (finding,) = audit_page(page)
    assert finding.message == f"“35.2%”, “21.4%” and “17.5%” have no citation: {CITE_IT}"


def test_citation_numbers_read_lists_and_ranges():
    assert citation_numbers("as shown [1, 3] and [4–6]") == [1, 3, 4, 5, 6]
    assert citation_numbers("no markers") == []


# --- unlisted-source ------------------------------------------------------------------------------------------------


def test_a_row_citing_a_source_missing_from_the_list_is_an_error(build_guide):
    page = build_guide()
    other = verified(title="A source nobody listed")
    Study.objects.create(
        page=page, citation="Chou et al. 2004", design="Systematic review", finding="Fair.", reference=other
    )
    findings = audit_page(MedicinePage.objects.get(pk=page.pk))
    assert codes(findings) == ["unlisted-source"]
    assert findings[0].place == "Studies, row 1 (Chou et al. 2004)"
    assert "A source nobody listed" in findings[0].message


def test_a_quote_citing_an_unlisted_source_is_an_error(build_article):
    listed, other = verified(), verified()
    page = build_article([("quote", {"quote": "fair evidence", "reference": other})], references=[listed])
    assert codes(audit_page(page)) == ["unlisted-source"]


# --- unsourced-quote ------------------------------------------------------------------------------------------------


def test_a_quote_credited_only_to_a_journal_is_an_error(build_article):
    page = build_article([heading("Quotes"), quote("Baclofen works wonders.", attribution="Alcohol and Alcoholism")])
    (finding,) = audit_page(page)
    assert (finding.code, finding.severity, finding.place) == ("unsourced-quote", ERROR, "Body, “Quotes”, quote 1")
    assert finding.message == (
        "the quote “Baclofen works wonders.” has no source: it is credited only to “Alcohol and Alcoholism”, which "
        "is not in the page's references; choose the reference it comes from"
    )


def test_a_quote_credited_to_nobody_is_an_error(build_article):
    (finding,) = audit_page(build_article([quote("Baclofen works wonders.")]))
    assert finding.code == "unsourced-quote" and "credited to nobody" in finding.message


@pytest.mark.parametrize("cited", ["reference", "marker"])
def test_a_quote_with_a_source_or_a_marker_passes(build_article, cited):
    source = verified()
    block = quote("Fair evidence.", source) if cited == "reference" else quote("Fair evidence [1].")
    assert audit_page(build_article([block], references=[source])) == []


# --- unnamed-study --------------------------------------------------------------------------------------------------


def test_a_study_known_only_by_its_journal_is_a_warning(build_article):
    page = build_article(
        [
            heading("Evidence"),
            (
                "paragraph",
                "<p>A study published in the Journal of Neurology, Neurosurgery & Psychiatry found that it works. "
                "Another study published in the “American Journal of Medicine” agreed.</p>",
            ),
        ]
    )
    (finding,) = audit_page(page)
    assert (finding.code, finding.severity, finding.place) == (
        "unnamed-study",
        WARNING,
        "Body, “Evidence”, paragraph 1",
    )
    assert finding.message == (
        "cites a study only by its journal (“Journal of Neurology, Neurosurgery & Psychiatry”, "
        "“American Journal of Medicine”) and gives no reference: add the study to the references and cite it, or "
        "remove the claim"
    )


@pytest.mark.parametrize(
    "text",
    [
        "A study published in the Journal of Neurology found that it works [1].",
        "In one study of 175 patients [1], drowsiness was common.",
        "One trial in the UK was stopped early [1].",
    ],
)
def test_a_cited_or_named_study_passes(build_article, text):
    assert audit_page(build_article([("paragraph", f"<p>{text}</p>")])) == []

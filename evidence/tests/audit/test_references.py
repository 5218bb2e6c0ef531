"""The content audit (``evidence.audit``) and ``manage.py audit_content``: each rule firing and not firing."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evidence.audit import (
    ERROR,
    RULES,
    WARNING,
    AuditUnit,
    PageContent,
    audit_content,
    audit_page,
    author_problem,
    citation_numbers,
    figures,
    rich_text_parts,
)
from evidence.models import ReferenceKind, VerificationStatus
from medicines.models import MedicinePage, Study
from tests.factories import FrequencyBand, make_article, make_medicine, make_reference

pytestmark = pytest.mark.django_db


def verified(**fields):
    return make_reference(verification_status=VerificationStatus.VERIFIED, **fields)


@pytest.fixture
def guide(site_pages, drug_class):
    """Builds a guide whose only reference is verified, then reads it back as the audit would."""

    def build(
        title="Baclofen",
        *,
        references=None,
        side_effects=(("Drowsiness", FrequencyBand.VERY_COMMON, 10, 63),),
        **fields,
    ):
        references = references if references is not None else [verified()]
        page = make_medicine(
            site_pages["medicines"], drug_class, title, references=references, side_effects=side_effects, **fields
        )
        return MedicinePage.objects.get(pk=page.pk)

    return build


@pytest.fixture
def article(site_pages):
    def build(body, *, references=None, **fields):
        references = references if references is not None else [verified()]
        page = make_article(site_pages["articles"], body=body, references=references, **fields)
        return type(page).objects.get(pk=page.pk)

    return build


def codes(findings, severity=None):
    return [finding.code for finding in findings if severity is None or finding.severity == severity]


def table(caption, rows, reference=None):
    return (
        "table",
        {
            "caption": caption,
            "reference": reference,
            "table": {"data": rows, "first_row_is_table_header": True, "first_col_is_header": True},
        },
    )


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


def test_a_clean_guide_and_a_clean_article_have_no_findings(guide, article):
    assert audit_page(guide()) == []
    source = verified()
    body = [
        ("paragraph", "<p>Drowsiness was reported by 10–63% of people [1].</p>"),
        ("quote", {"quote": "little evidence of improvement in function", "reference": source}),
        table("Label figures", [["Effect", "Share"], ["Drowsiness", "10–63%"]], source),
    ]
    assert audit_page(article(body, references=[source])) == []


def test_pages_without_audit_content_are_skipped(site_pages):
    assert audit_page(site_pages["home"]) == []


def test_findings_come_errors_first(guide):
    page = guide(pregnancy="In rats, about 13 times the maximum human dose.", next_review_due=None)
    severities = [finding.severity for finding in audit_page(page)]
    assert severities == sorted(severities, key=lambda severity: severity.rank)
    assert severities[0] == ERROR and severities[-1] == WARNING


# --- uncited-figure -------------------------------------------------------------------------------------------------


def test_figures_are_percentages_counts_and_n_in_10():
    assert figures("In rats, omphaloceles at about 13 times the maximum human dose.") == [
        "13 times the maximum human dose"
    ]
    assert figures("Affects 1 in 10 people")[0].startswith("1 in 10")
    assert figures("63% vs 36%")[:1] == ["63% vs 36%"]
    assert figures("A trial of 175 patients")[0].startswith("175 patients")
    assert figures("Take 10 mg 3 times a day, or 2 times daily.") == []


def test_a_figure_without_a_citation_is_an_error(guide):
    findings = audit_page(
        guide(pregnancy="In rats, baclofen caused omphaloceles at about 13 times the maximum human dose.")
    )
    assert [(f.code, f.place, f.message) for f in findings] == [
        ("uncited-figure", "Pregnancy", "“13 times the maximum human dose” has no citation")
    ]


def test_an_inline_marker_or_a_row_source_cites_the_figure(guide):
    page = guide(
        pregnancy="About 13 times the maximum human dose [1].",
        warnings="<p>Drowsiness in 10–63% of people [1].</p><p>Take it 3 times a day.</p>",
    )
    assert "uncited-figure" not in codes(audit_page(page))  # side-effect rows cite their reference too


def test_a_marker_past_the_list_does_not_cite(guide):
    findings = audit_page(guide(pregnancy="About 13 times the maximum human dose [4]."))
    assert codes(findings) == ["uncited-figure", "unlisted-source"]
    assert "[4] but the reference list has 1 entry" in findings[1].message


def test_an_article_table_without_a_source_is_an_error(article):
    page = article([table("Figures", [["Effect", "Share"], ["Drowsiness", "63%"]])])
    (finding,) = audit_page(page)
    assert finding.code == "uncited-figure"
    assert finding.place == "Body, table “Figures”, row 1 (Drowsiness)"


def test_every_uncited_figure_of_a_paragraph_is_named(article):
    page = article([("paragraph", "<p>Drowsiness (35.2%), dizziness (21.4%) and weakness (17.5%).</p>")])
    (finding,) = audit_page(page)
    assert finding.message == "“35.2%”, “21.4%” and “17.5%” have no citation"


def test_citation_numbers_read_lists_and_ranges():
    assert citation_numbers("as shown [1, 3] and [4–6]") == [1, 3, 4, 5, 6]
    assert citation_numbers("no markers") == []


# --- unlisted-source ------------------------------------------------------------------------------------------------


def test_a_row_citing_a_source_missing_from_the_list_is_an_error(guide):
    page = guide()
    other = verified(title="A source nobody listed")
    Study.objects.create(
        page=page, citation="Chou et al. 2004", design="Systematic review", finding="Fair.", reference=other
    )
    findings = audit_page(MedicinePage.objects.get(pk=page.pk))
    assert codes(findings) == ["unlisted-source"]
    assert findings[0].place == "Studies, row 1 (Chou et al. 2004)"
    assert "A source nobody listed" in findings[0].message


def test_a_quote_citing_an_unlisted_source_is_an_error(article):
    listed, other = verified(), verified()
    page = article([("quote", {"quote": "fair evidence", "reference": other})], references=[listed])
    assert codes(audit_page(page)) == ["unlisted-source"]


# --- incomplete-reference -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("authors", ["Doe J", "Smith AB", "Anonymous", "SylviaandLinda", "Chou R, Author A", "jdoe42"])
def test_placeholder_authors(authors):
    assert author_problem(authors)


@pytest.mark.parametrize(
    "authors", ["", "Chou R, Peterson K, Helfand M", "Otero-Romero S, et al.", "NHS", "O'Malley PG"]
)
def test_real_authors(authors):
    assert author_problem(authors) is None


@pytest.mark.parametrize(
    "fields, expected",
    [
        (dict(authors="Doe J"), "placeholder"),
        (dict(authors="SylviaandLinda"), "user name"),
        (dict(title="Baclofen in spasticity ("), "cut off"),
        (dict(title="Baclofen in spasticity…"), "cut off"),
        (dict(title="Baclofen"), "too short"),
        (dict(year=None), "needs its year"),
    ],
)
def test_an_incomplete_reference_is_an_error(guide, fields, expected):
    findings = audit_page(guide(references=[verified(**fields)]))
    assert codes(findings) == ["incomplete-reference"]
    assert expected in findings[0].message
    assert findings[0].place.startswith("References, [1] ")


@pytest.mark.parametrize("title", ["Sullivan CD, et al. (", "Baclofen in spasticity (2020", "Baclofen and spasticity,"])
def test_a_title_left_open_or_ending_mid_phrase_is_cut_off(guide, title):
    findings = audit_page(guide(references=[verified(title=title)]))
    assert f"its title “{title}” is cut off" in findings[0].message


def test_a_web_page_may_have_a_short_title_and_no_year(guide):
    page_reference = verified(
        kind=ReferenceKind.WEB_PAGE, authors="NHS", title="Baclofen", year=None, doi="", url="https://example.org/"
    )
    assert "incomplete-reference" not in codes(audit_page(guide(references=[page_reference])))


# --- failed-verification --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, severity, words",
    [
        (VerificationStatus.RETRACTED, ERROR, "retracted"),
        (VerificationStatus.MISMATCH, ERROR, "does not match"),
        (VerificationStatus.NOT_FOUND, ERROR, "no record"),
        (VerificationStatus.NOT_CHECKED, WARNING, "not been checked"),
        (VerificationStatus.COULD_NOT_CHECK, WARNING, "could not be checked"),
    ],
)
def test_verification_status(guide, status, severity, words):
    reference = make_reference(verification_status=status, verification_notes="Crossref says so")
    (finding,) = audit_page(guide(references=[reference]))
    assert (finding.code, finding.severity) == ("failed-verification", severity)
    assert words in finding.message


def test_a_verified_reference_passes(guide):
    assert "failed-verification" not in codes(audit_page(guide()))


# --- anonymous-study ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("citation, fires", [("Study 1", True), ("Trial B", True), ("Chou et al. 2004", False)])
def test_a_study_named_only_by_number_is_an_error(guide, citation, fires):
    page = guide()
    Study.objects.create(
        page=page,
        citation=citation,
        design="Trial",
        finding="Worked.",
        reference=page.guide_references.first().reference,
    )
    findings = audit_page(MedicinePage.objects.get(pk=page.pk))
    assert ("anonymous-study" in codes(findings)) is fires


def test_an_article_table_row_named_study_1_is_an_error(article):
    source = verified()
    page = article(
        [table("Trials", [["Study", "Result"], ["Study 1", "63%"], ["Chou 2004", "fair"]], source)],
        references=[source],
    )
    (finding,) = audit_page(page)
    assert finding.code == "anonymous-study"
    assert finding.place == "Body, table “Trials”, row 1 (Study 1)"


# --- duplicated-text ------------------------------------------------------------------------------------------------


def test_a_repeated_paragraph_is_a_warning(article):
    text = "<p>Baclofen should never be stopped suddenly, because of withdrawal.</p>"
    findings = audit_page(article([("paragraph", text), ("paragraph", "<p>Short.</p>"), ("paragraph", text.upper())]))
    assert [(f.code, f.severity, f.place) for f in findings] == [("duplicated-text", WARNING, "Body, paragraph 3")]
    assert "Body, paragraph 1" in findings[0].message


def test_short_repeats_are_not_reported(article):
    assert audit_page(article([("paragraph", "<p>Ask your pharmacist.</p>")] * 2)) == []


# --- repeated-tag ---------------------------------------------------------------------------------------------------


def test_a_tag_repeated_in_another_case_is_an_error():
    findings = audit_content(PageContent(title="Imported", tags=["Spasticity", "muscle relaxant", "spasticity "]))
    assert [(f.code, f.severity, f.place) for f in findings] == [("repeated-tag", ERROR, "Tags")]
    assert "Spasticity" in findings[0].message


def test_distinct_tags_pass(guide):
    assert audit_page(guide(tags=["spasticity", "muscle relaxant"])) == []


# --- contradicting-percentage ---------------------------------------------------------------------------------------


def test_a_percentage_outside_the_side_effect_range_is_an_error(guide):
    findings = audit_page(guide(warnings="<p>Drowsiness affects 80% of people [1]. Other text.</p>"))
    assert codes(findings) == ["contradicting-percentage"]
    assert "“80%” for Drowsiness contradicts the side-effect table (10–63%)" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Drowsiness affects 10–63% of people [1].",
        "Drowsiness was reported by 63% vs 36% on placebo [1].",
        "Drowsiness is common. About 80% of people take it at night [1].",  # another sentence
    ],
)
def test_percentages_within_the_range_or_elsewhere_pass(guide, text):
    assert "contradicting-percentage" not in codes(audit_page(guide(warnings=f"<p>{text}</p>")))


def test_the_nearest_side_effect_name_is_the_one_checked(guide):
    page = guide(
        side_effects=[
            ("Drowsiness", FrequencyBand.VERY_COMMON, 10, 63),
            ("Hypotension (low blood pressure)", FrequencyBand.COMMON, 0, 9),
        ],
        warnings="<p>Drowsiness (up to 60%) and low blood pressure (30%) were reported [1].</p>",
    )
    (finding,) = audit_page(page)
    assert "“30%” for Hypotension (low blood pressure)" in finding.message


def test_structured_figures_come_from_the_guide(guide):
    content = guide().audit_content()
    assert content.side_effect_figures == [("Drowsiness", Decimal("10.0"), Decimal("63.0"))]


# --- review-overdue -------------------------------------------------------------------------------------------------


def test_an_overdue_or_missing_review_is_a_warning(guide):
    overdue = audit_page(guide(last_reviewed=date(2020, 1, 1), next_review_due=date.today() - timedelta(days=1)))
    assert [(f.code, f.severity) for f in overdue] == [("review-overdue", WARNING)]
    missing = audit_page(guide("Tizanidine", next_review_due=None))
    assert [f.message for f in missing] == ["no next review date is set"]


def test_an_article_needs_no_review_date(article):
    assert audit_page(article([("paragraph", "<p>Ask your pharmacist.</p>")])) == []


def test_a_unit_reads_its_citations_from_its_text():
    assert AuditUnit("text", "Body", "As shown [2].").cites == [2]


# --- manage.py audit_content ----------------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("audit_content", *args, stdout=out)
    return out.getvalue()


def test_the_command_passes_a_clean_site(guide):
    guide()
    output = run("--all")
    assert "Baclofen" in output and "no findings" in output
    assert "Audited 1 page: 0 errors (on 0 pages), 0 warnings." in output


def test_the_command_fails_on_an_error_and_names_it(guide):
    guide(pregnancy="In rats, baclofen caused omphaloceles at about 13 times the maximum human dose.")
    guide("Tizanidine", next_review_due=None)
    out = StringIO()
    with pytest.raises(CommandError, match="1 error found"):
        call_command("audit_content", "--all", stdout=out)
    output = out.getvalue()
    assert "ERROR uncited-figure  Baclofen › Pregnancy: “13 times the maximum human dose” has no citation" in output
    assert "WARNING review-overdue  Tizanidine › Medical review: no next review date is set" in output
    assert "Audited 2 pages: 1 error (on 1 page), 1 warning." in output


def test_the_command_audits_one_slug_and_warnings_do_not_fail(guide):
    guide(pregnancy="About 13 times the maximum human dose.")
    guide("Tizanidine", next_review_due=None)
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


# --- places in an article's body ------------------------------------------------------------------------------------


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def test_an_article_places_each_part_in_its_section(article):
    source = verified()
    page = article(
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


def test_imported_tags_are_audited_as_found_until_cleared(article):
    page = article(
        [("paragraph", "<p>Ask your pharmacist.</p>")], tags=["Baclofen"], imported_tags="Baclofen, Baclofen"
    )
    (finding,) = audit_page(page)
    assert (finding.code, finding.place, finding.message) == ("repeated-tag", "Tags", "“Baclofen” repeats “Baclofen”")
    page.imported_tags = ""
    assert audit_page(page) == []


# --- unsourced-quote ------------------------------------------------------------------------------------------------


def quote(text, reference=None, attribution=""):
    return ("quote", {"quote": text, "reference": reference, "attribution": attribution})


def test_a_quote_credited_only_to_a_journal_is_an_error(article):
    page = article([heading("Quotes"), quote("Baclofen works wonders.", attribution="Alcohol and Alcoholism")])
    (finding,) = audit_page(page)
    assert (finding.code, finding.severity, finding.place) == ("unsourced-quote", ERROR, "Body, “Quotes”, quote 1")
    assert finding.message == (
        "the quote “Baclofen works wonders.” has no source: it is credited only to “Alcohol and Alcoholism”, which "
        "is not in the page's references; choose the reference it comes from"
    )


def test_a_quote_credited_to_nobody_is_an_error(article):
    (finding,) = audit_page(article([quote("Baclofen works wonders.")]))
    assert finding.code == "unsourced-quote" and "credited to nobody" in finding.message


@pytest.mark.parametrize("cited", ["reference", "marker"])
def test_a_quote_with_a_source_or_a_marker_passes(article, cited):
    source = verified()
    block = quote("Fair evidence.", source) if cited == "reference" else quote("Fair evidence [1].")
    assert audit_page(article([block], references=[source])) == []


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
def test_a_section_written_twice_is_a_warning(article, first, second, words):
    page = article(
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


def test_sections_with_similar_headings_but_other_content_pass(article):
    page = article(
        [
            heading("Side effects in adults"),
            ("paragraph", SIDE_EFFECTS),
            heading("Side effects in children"),
            ("paragraph", "<p>Children were not studied; the label gives no figures for them.</p>"),
        ]
    )
    assert audit_page(page) == []


# --- unnamed-study --------------------------------------------------------------------------------------------------


def test_a_study_known_only_by_its_journal_is_a_warning(article):
    page = article(
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
        "“American Journal of Medicine”) and gives no reference"
    )


@pytest.mark.parametrize(
    "text",
    [
        "A study published in the Journal of Neurology found that it works [1].",
        "In one study of 175 patients [1], drowsiness was common.",
        "One trial in the UK was stopped early [1].",
    ],
)
def test_a_cited_or_named_study_passes(article, text):
    assert audit_page(article([("paragraph", f"<p>{text}</p>")])) == []

"""The audit's consistency rules: contradicting-percentage, review-overdue."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from evidence.audit import WARNING, audit_page
from evidence.tests.audit.helpers import codes
from tests.factories import FrequencyBand

pytestmark = pytest.mark.django_db


# --- contradicting-percentage ---------------------------------------------------------------------------------------


def test_a_percentage_outside_the_side_effect_range_is_an_error(build_guide):
    findings = audit_page(build_guide(warnings="<p>Drowsiness affects 80% of people [1]. Other text.</p>"))
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
def test_percentages_within_the_range_or_elsewhere_pass(build_guide, text):
    assert "contradicting-percentage" not in codes(audit_page(build_guide(warnings=f"<p>{text}</p>")))


def test_the_nearest_side_effect_name_is_the_one_checked(build_guide):
    page = build_guide(
        side_effects=[
            ("Drowsiness", FrequencyBand.VERY_COMMON, 10, 63),
            ("Hypotension (low blood pressure)", FrequencyBand.COMMON, 0, 9),
        ],
        warnings="<p>Drowsiness (up to 60%) and low blood pressure (30%) were reported [1].</p>",
    )
    (finding,) = audit_page(page)
    assert "“30%” for Hypotension (low blood pressure)" in finding.message


def test_structured_figures_come_from_the_guide(build_guide):
    content = build_guide().audit_content()
    assert content.side_effect_figures == [("Drowsiness", Decimal("10.0"), Decimal("63.0"))]


# --- review-overdue -------------------------------------------------------------------------------------------------


def test_an_overdue_or_missing_review_is_a_warning(build_guide):
    overdue = audit_page(build_guide(last_reviewed=date(2020, 1, 1), next_review_due=date.today() - timedelta(days=1)))
    assert [(f.code, f.severity) for f in overdue] == [("review-overdue", WARNING)]
    missing = audit_page(build_guide("Tizanidine", next_review_due=None))
    assert [f.message for f in missing] == [
        "no next review date is set: submit it to the Guide review workflow, where a pharmacist's approval sets the "
        "dates"
    ]


def test_an_article_needs_no_review_date(build_article):
    assert audit_page(build_article([("paragraph", "<p>Ask your pharmacist.</p>")])) == []

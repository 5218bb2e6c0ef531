"""The rules that hold any page's text to the structured data of the medicines it names (``rules/site.py``) and
the promotional-claim rule, on page content built by hand: no database."""

from decimal import Decimal

import pytest

from evidence.audit import AuditUnit, MedicineFacts, PageContent, audit_content
from evidence.audit.amounts import daily_doses, duration_limit_days, durations, maximum_daily_mg, strengths_named

BACLOFEN = MedicineFacts(
    name="Baclofen",
    names=("baclofen", "lioresal"),
    side_effects=(("Drowsiness (transient)", Decimal("10"), Decimal("63")), ("Dizziness", Decimal(5), Decimal(15))),
    max_daily_mg=Decimal("80"),
    products=(("5 mg", "tablet"), ("10 mg", "tablet"), ("20 mg", "tablet")),
    prescription_only=True,
)
CYCLOBENZAPRINE = MedicineFacts(
    name="Cyclobenzaprine",
    names=("cyclobenzaprine",),
    side_effects=(("Drowsiness", Decimal("29"), Decimal("38")),),
    max_days=21,
    products=(("5 mg", "tablet"), ("7.5 mg", "tablet"), ("10 mg", "tablet")),
    prescription_only=True,
)
LORATADINE = MedicineFacts(name="Loratadine", names=("loratadine",), products=(("10 mg", "tablet"),))


CITATION_RULES = {"uncited-figure", "unlisted-source"}  # these pages list no references: not what is tested here


def findings(*texts, medicines=(BACLOFEN, CYCLOBENZAPRINE, LORATADINE), title="An article", subject=""):
    units = [AuditUnit("text", f"Body, paragraph {n}", text) for n, text in enumerate(texts, start=1)]
    content = PageContent(title=title, units=units, medicines=list(medicines), subject=subject)
    return [(f.code, f.message) for f in audit_content(content) if f.code not in CITATION_RULES]


def codes(*texts, **options):
    return [code for code, _ in findings(*texts, **options)]


# --- what the guides allow, read from their usual dose ------------------------------------------------------------


@pytest.mark.parametrize(
    "usual_dose, maximum, days",
    [
        ("Adults start at 5 mg three times a day; the usual dose is 40 to 80 mg a day, and the maximum 80 mg a day.",
         80, None),
        ("Adults start at 25 mg once a day; the maximum is 100 mg four times a day.", 400, None),
        ("Adults take 5 mg three times a day, for up to 2 to 3 weeks only.", None, 21),
        ("Adults take 250 to 350 mg three times a day and at bedtime, for no more than 2 to 3 weeks.", None, 21),
        ("1 tablet daily; not more than 1 tablet in 24 hours.", None, None),
    ],
)  # fmt: skip
def test_the_limits_a_usual_dose_sets(usual_dose, maximum, days):
    assert maximum_daily_mg(usual_dose) == (Decimal(maximum) if maximum else None)
    assert duration_limit_days(usual_dose) == days


def test_doses_durations_and_strengths_read_from_text():
    assert [dose.value for dose in daily_doses("120 mg a day, or 30 mg four times daily, or 6 g/day")] == [
        120, 120, 6000
    ]  # fmt: skip
    assert daily_doses("more than 80 mg a day; at 800 mg a day or more") == []
    assert [period.value for period in durations("for 6 months, a 12-week course, long-term")] == [180, 84, 365]
    assert durations("not for longer than 3 weeks") == []
    assert [written for written, _ in strengths_named("Dosage: 10mg, 25mg")] == ["10 mg", "25 mg"]
    assert [written for written, _ in strengths_named("It comes in 5, 10 and 20 mg tablets")] == [
        "5 mg", "10 mg", "20 mg tablets"
    ]  # fmt: skip
    assert strengths_named("Take 40 to 80 mg a day.") == []


# --- contradicts-guide ------------------------------------------------------------------------------------------------


def test_a_side_effect_figure_outside_the_guides_range_is_an_error():
    [(code, message)] = findings("Drowsiness affects about 2% of people taking baclofen [1].")
    assert code == "contradicts-guide"
    assert message.startswith(
        "“2%” for drowsiness (transient) on Baclofen contradicts the Baclofen guide's side effects"
    )


def test_a_figure_within_the_range_on_placebo_or_about_another_medicine_passes():
    assert codes("On baclofen drowsiness affected 63%, against 36% on placebo.") == []
    assert codes("Drowsiness: 29% on cyclobenzaprine, while baclofen causes it in up to 63%.") == []
    assert codes("Cyclobenzaprine causes drowsiness in 10%, while baclofen causes drowsiness in up to 63%.") == [
        "contradicts-guide"
    ]


def test_the_guides_own_text_is_left_to_its_own_table():
    assert codes("Drowsiness affects 2% of people.", subject="Baclofen", medicines=[BACLOFEN]) == []


def test_a_sentence_that_names_no_medicine_is_about_the_pages_only_one():
    assert codes("Baclofen relaxes muscles.", "Drowsiness affects 2%.", medicines=[BACLOFEN]) == ["contradicts-guide"]
    assert codes("Baclofen and cyclobenzaprine compared.", "Drowsiness affects 2%.") == []


# --- dose, duration, strength, form, prescription -------------------------------------------------------------------


def test_a_daily_dose_above_the_maximum():
    [(code, message)] = findings("Some take up to 120 mg a day of baclofen.")
    assert code == "dose-above-maximum" and "above the maximum of 80 mg a day" in message
    assert codes("Never take more than 80 mg a day of baclofen.", "Baclofen: 20 mg four times a day.") == []


def test_a_use_longer_than_the_guide_allows():
    assert codes("Take cyclobenzaprine for 6 months.") == ["duration-beyond-limit"]
    assert codes("Cyclobenzaprine is not for use for longer than 3 weeks.", "Baclofen for 3 years.") == []


def test_strengths_and_forms_the_catalogue_does_not_have():
    assert codes("Baclofen", "Dosage: 10mg, 25mg") == ["strength-not-in-catalogue"]
    assert codes("Baclofen comes in 5, 10 and 20 mg tablets.") == []
    assert codes("Baclofen is available as tablets and injectables.") == ["form-not-in-catalogue"]
    assert codes("Some medicine 25 mg tablets.", medicines=[MedicineFacts(name="New", names=("new",))]) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Buy baclofen online without a prescription.", ["prescription-claim"]),
        ("Baclofen: no prescription needed.", ["prescription-claim"]),
        ("Baclofen is available over the counter.", ["prescription-claim"]),
        ("Baclofen is not sold over the counter.", []),
        ("You cannot buy baclofen without a prescription.", []),
        ("Loratadine can be bought without a prescription.", []),
        ("Baclofen adds to the drowsiness of over-the-counter sleep aids.", []),
        ("Baclofen is an OTC medicine in some countries.", ["prescription-claim"]),
    ],
)
def test_a_prescription_only_medicine_offered_without_one(text, expected):
    assert codes(text) == expected


# --- promotional-claim ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["It is completely safe.", "Side effects are always mild.", "A miracle for back pain.", "100% effective.",
     "There are no side effects.", "Results guaranteed.", "It never causes side effects.",
     "Perfectly safe in pregnancy"],
)  # fmt: skip
def test_absolute_and_promotional_claims(text):
    assert codes(text, medicines=()) == ["promotional-claim"]


@pytest.mark.parametrize(
    "text",
    ["No medicine is completely safe.", "It is not completely safe.", "The trial followed 100% of patients.",
     "Side effects were mild in most people.", "A seemingly harmless mix can be dangerous.",
     "Delivery is guaranteed within two days.", "There is no risk of dependence in the label's data."],
)  # fmt: skip
def test_claims_that_are_denied_or_measured_pass(text):
    assert codes(text, medicines=()) == []

"""A guide's cited sections (key facts, missed dose, overdose, storage, who should not take it, get help now) and
the rule that a side effect's frequency band agrees with its figures."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evidence.audit import audit_page
from medicines.models import Contraindication, FrequencyBand, SideEffect, UrgentSign
from medicines.models.choices import band_disagreement, band_for_percent, band_for_range, bands_spanned
from tests.factories import make_medicine, make_reference

D = Decimal


@pytest.mark.parametrize(
    "percent, band",
    [
        ("63", "very_common"),
        ("10.1", "very_common"),
        ("10", "common"),  # "up to 1 in 10"
        ("1", "common"),
        ("0.99", "uncommon"),
        ("0.1", "uncommon"),
        ("0.09", "rare"),
        ("0", "rare"),
    ],
)
def test_a_percentage_falls_in_one_band(percent, band):
    assert band_for_percent(D(percent)) == band


def test_a_range_takes_the_band_of_its_upper_figure_and_says_which_bands_it_spans():
    assert band_for_range(D("1"), D("11")) == "very_common"
    assert band_for_range(D("4"), D("12")) == "very_common"
    assert band_for_range(None, D("9")) == "common"
    assert band_for_range(D("3"), None) == "common"
    assert band_for_range(None, None) is None
    assert bands_spanned(D("1"), D("11")) == ["very_common", "common"]
    assert bands_spanned(D("0.5"), D("11")) == ["very_common", "common", "uncommon"]
    assert bands_spanned(D("4"), D("8")) == ["common"]
    assert bands_spanned(D("0"), D("9")) == ["common"]  # not seen in some study adds no band


def test_a_band_that_disagrees_with_the_figures_is_refused():
    row = SideEffect(effect="Headache", frequency=FrequencyBand.VERY_COMMON, percent_low=D("4"), percent_high=D("8"))
    with pytest.raises(ValidationError) as error:
        row.clean()
    assert (
        "disagrees with the figures: the highest, 8%, is “Common (up to 1 in 10)”"
        in error.value.message_dict["frequency"][0]
    )
    for band in (FrequencyBand.UNCOMMON, FrequencyBand.NOT_KNOWN):
        row.frequency = band
        with pytest.raises(ValidationError):
            row.clean()
    row.frequency = FrequencyBand.COMMON
    row.clean()
    # Without figures the source's own band stands ("more than 10%" in a note).
    SideEffect(effect="Asthenia", frequency=FrequencyBand.VERY_COMMON).clean()
    assert band_disagreement(FrequencyBand.VERY_COMMON, None, None) == ""


def test_a_range_across_bands_is_shown_as_both():
    confusion = SideEffect(frequency=FrequencyBand.VERY_COMMON, percent_low=D("1"), percent_high=D("11"))
    assert confusion.frequency_display == "Common to very common"
    headache = SideEffect(frequency=FrequencyBand.COMMON, percent_low=D("4"), percent_high=D("8"))
    assert headache.frequency_display == "Common (up to 1 in 10)"
    hypotension = SideEffect(frequency=FrequencyBand.COMMON, percent_low=D("0"), percent_high=D("9"))
    assert hypotension.frequency_display == "Common (up to 1 in 10)"


@pytest.mark.django_db
def test_a_cited_text_needs_its_source_and_a_source_needs_its_text(site_pages, drug_class):
    reference = make_reference()
    guide = make_medicine(site_pages["medicines"], drug_class, references=[reference])
    guide.storage = "Store between 20 and 25 °C."
    with pytest.raises(ValidationError) as error:
        guide.clean()
    assert set(error.value.message_dict) == {"storage_reference"}
    guide.storage, guide.overdose_reference = "", reference
    with pytest.raises(ValidationError) as error:
        guide.clean()
    assert set(error.value.message_dict) == {"overdose"}
    guide.overdose = "Get medical help right away."
    guide.storage, guide.storage_reference = "Store between 20 and 25 °C.", reference
    guide.clean()


@pytest.mark.django_db
def test_the_audit_reads_the_cited_sections_and_their_sources(site_pages, drug_class):
    listed, unlisted = make_reference(), make_reference(title="A label nobody listed")
    guide = make_medicine(site_pages["medicines"], drug_class, references=[listed])
    guide.storage, guide.storage_reference = "Store below 25 °C.", unlisted
    guide.missed_dose, guide.missed_dose_reference = "Take it when you remember.", listed
    guide.save()
    Contraindication.objects.create(page=guide, who="People with porphyria", reference=unlisted)
    UrgentSign.objects.create(page=guide, signs="Hives, wheezing", action="Get help now.", reference=listed)
    units = {unit.place: unit for unit in guide.audit_content().units}
    assert units["Missed dose"].reference == listed and units["Storage"].reference == unlisted
    assert "Serious side effects: get help now, row 1 (Hives, wheezing)" in units
    unlisted_places = sorted(finding.place for finding in audit_page(guide) if finding.code == "unlisted-source")
    assert unlisted_places == ["Storage", "Who should not take it, row 1 (People with porphyria)"]

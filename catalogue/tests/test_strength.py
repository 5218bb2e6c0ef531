"""A label strength read as its parts (the JSON-LD's DrugStrength and FHIR's Ratio both read it)."""

import pytest

from catalogue.strength import Strength, parse_strength


@pytest.mark.parametrize(
    "label, parts",
    [
        ("10 mg", Strength("10", "mg", None, None)),
        ("0.5mg", Strength("0.5", "mg", None, None)),
        ("5 mg/5 mL", Strength("5", "mg", "5", "mL")),
        (" 100 mcg / mL ", Strength("100", "mcg", None, "mL")),
    ],
)
def test_a_strength_is_read_as_written(label, parts):
    assert parse_strength(label) == parts


@pytest.mark.parametrize("label", ["", "mg", "10", "10 mg 20 mg", "10 mg/5 mL/2", "1,000 mg"])
def test_what_is_not_an_amount_and_a_unit_is_not_read(label):
    assert parse_strength(label) is None

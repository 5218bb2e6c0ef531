from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings

from catalogue.models import DosageForm, Pack, Product
from catalogue.money import format_money
from tests.factories import make_product


def test_money_is_formatted_for_the_configured_locale_and_currency():
    with override_settings(PHARMACY_LOCALE="en_US", PHARMACY_CURRENCY="USD"):
        assert format_money(Decimal("0.51")) == "$0.51"
        assert format_money(Decimal("1234.5")) == "$1,234.50"
    with override_settings(PHARMACY_LOCALE="de_DE", PHARMACY_CURRENCY="USD"):
        assert format_money(Decimal("0.51")) == "0,51\xa0$"
    with override_settings(PHARMACY_LOCALE="en_GB", PHARMACY_CURRENCY="GBP"):
        assert format_money(Decimal("3.2")) == "£3.20"


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        format_money(0.51)


def test_unit_price_is_rounded_to_the_cent():
    product = Product(form=DosageForm.TABLET, strength="10 mg")
    assert Pack(product=product, units=30, price=Decimal("15.30")).unit_price == Decimal("0.51")
    assert Pack(product=product, units=90, price=Decimal("40.00")).unit_price == Decimal("0.44")
    liquid = Product(form=DosageForm.ORAL_SOLUTION, strength="5 mg/5 mL")
    pack = Pack(product=liquid, units=300, price=Decimal("12.00"))
    assert pack.unit_price == Decimal("0.04")
    assert pack.size_label == "300 mL"
    assert liquid.unit_name == "mL"


@pytest.mark.django_db
def test_prescription_requirement_follows_the_medicine(medicine):
    product = make_product(medicine)
    assert product.requires_prescription is True
    assert str(product) == "Baclofen 10 mg tablet"


@pytest.mark.django_db
def test_product_box_lists_every_strength_with_unit_and_pack_prices(medicine):
    make_product(medicine, "10 mg", packs=[(30, "15.30", 4), (90, "40.00", 0)])
    make_product(medicine, "5 mg/5 mL", DosageForm.ORAL_SOLUTION, packs=[(300, "12.00", 2)])
    html = Template("{% load catalogue_tags %}{% product_box medicine %}").render(Context({"medicine": medicine}))
    assert "$0.51" in html and "per tablet" in html and "$15.30" in html
    assert "$0.44" in html and "$40.00" in html
    assert "$0.04" in html and "per mL" in html and "300 mL" in html
    assert "In stock" in html and "Out of stock" in html
    assert "from <strong>$0.04</strong> per mL" in html
    assert "A prescription is required" in html


@pytest.mark.django_db
def test_inactive_products_are_not_shown(medicine):
    product = make_product(medicine, "20 mg")
    product.active = False
    product.save()
    html = Template("{% load catalogue_tags %}{% product_box medicine %}").render(Context({"medicine": medicine}))
    assert "20 mg" not in html
    assert "No packs of Baclofen are sold" in html

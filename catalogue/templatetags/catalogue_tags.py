from django import template
from django.utils.html import format_html_join
from wagtail import hooks

from catalogue.models import Product
from catalogue.money import format_money
from catalogue.services import prescription_needs

register = template.Library()


@register.filter
def money(amount):
    """``{{ pack.price|money }}``: the amount in the pharmacy's currency and locale."""
    if amount in (None, ""):
        return ""
    return format_money(amount)


@register.inclusion_tag("catalogue/includes/product_box.html", takes_context=True)
def product_box(context, medicine, heading_level=2):
    """Every form and strength of ``medicine`` with its packs, per-unit prices and stock."""
    products = Product.objects.published().for_medicine(medicine).grouped_with_packs()
    for product in products:
        product.medicine = medicine
    needs = prescription_needs(products)  # one query for the box: what the shop's pack actions ask of a product
    for product in products:
        product.prescription_need = needs[product.pk]
    lowest = min(
        (pack for product in products for pack in product.pack_list), key=lambda pack: pack.unit_price, default=None
    )
    return {
        "medicine": medicine,
        "products": products,
        "lowest": lowest,
        "heading_level": heading_level,
        "settings": context.get("settings"),
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def pack_actions(context, pack):
    """What the shop offers for a pack in stock, e.g. the "Add to cart" form: each function registered with the
    ``catalogue_pack_actions`` hook (``fn(context, pack)`` gives HTML) adds its part, so the catalogue needs to
    know nothing of the orders above it."""
    return format_html_join(
        "", "{}", ((action(context, pack),) for action in hooks.get_hooks("catalogue_pack_actions"))
    )

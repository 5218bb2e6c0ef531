from django import template

from catalogue.models import Product
from catalogue.money import format_money

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
    products = Product.objects.available().for_medicine(medicine).grouped_with_packs()
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

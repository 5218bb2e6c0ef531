"""Prices, totals and whether a prescription is needed: from the catalogue, on the server, every time."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from catalogue.models import Pack, Product
from catalogue.services import PrescriptionNeed, prescription_needs
from orders.services.errors import OrderError

MAX_PACKS_PER_LINE = 20


@dataclass
class PricedLine:
    pack: Pack
    quantity: int
    need: PrescriptionNeed = field(default_factory=PrescriptionNeed)

    @property
    def line_total(self) -> Decimal:
        return self.pack.price * self.quantity

    @property
    def requires_prescription(self) -> bool:
        return self.need.required

    @property
    def controlled(self) -> bool:
        return self.need.controlled

    @property
    def pharmacy_medicine(self) -> bool:
        """A pharmacy medicine (P): its questionnaire is asked at checkout."""
        return self.pack.product.medicine.is_pharmacy_medicine

    @property
    def packs_allowed(self) -> int:
        """The most packs of this line's product one order may hold (``packs_allowed``)."""
        return packs_allowed(self.pack.product)

    @property
    def short_of_stock(self) -> bool:
        """More packs than the shelf has (checked again, under lock, when the order is placed)."""
        return self.quantity > self.pack.stock


@dataclass
class PricedCart:
    lines: list[PricedLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0.00"))

    @property
    def needs_prescription(self) -> bool:
        return any(line.requires_prescription for line in self.lines)


def price_lines(quantities: dict[int, int]) -> PricedCart:
    """Packs and quantities priced from the catalogue, with whether each needs a prescription (packs that are
    not sold, e.g. unknown, inactive, not approved by a pharmacist or of an unpublished guide, are left out)."""
    packs = Pack.objects.sellable().filter(pk__in=quantities).select_related("product__medicine")
    by_id = {pack.pk: pack for pack in packs}
    needs = prescription_needs({pack.product for pack in packs})
    return PricedCart(
        [
            PricedLine(by_id[pack_id], quantity, needs[by_id[pack_id].product_id])
            for pack_id, quantity in quantities.items()
            if pack_id in by_id
        ]
    )


def check_quantities(quantities: dict[int, int]) -> None:
    if not quantities:
        raise ValidationError("Your cart is empty.")
    for quantity in quantities.values():
        if not isinstance(quantity, int) or not 1 <= quantity <= MAX_PACKS_PER_LINE:
            raise ValidationError(f"Choose between 1 and {MAX_PACKS_PER_LINE} packs of each item.")


def packs_allowed(product: Product) -> int:
    """The most packs of one product an order may hold: the product's own limit (``max_packs_per_order``, e.g. for
    a pharmacy medicine), never more than the shop's general limit."""
    if product.max_packs_per_order is None:
        return MAX_PACKS_PER_LINE
    return min(product.max_packs_per_order, MAX_PACKS_PER_LINE)


def room_in_cart(pack: Pack, quantities: dict[int, int]) -> int:
    """How many packs of ``pack`` a cart holding ``quantities`` may have: its product's limit less the packs of the
    product's other sizes already in it (without a limit of its own, the shop's limit per line)."""
    if pack.product.max_packs_per_order is None:
        return MAX_PACKS_PER_LINE
    others = [pack_id for pack_id in quantities if pack_id != pack.pk]
    other_packs = Pack.objects.filter(pk__in=others, product_id=pack.product_id).values_list("pk", flat=True)
    return max(packs_allowed(pack.product) - sum(quantities[pack_id] for pack_id in other_packs), 0)


def check_product_limits(cart: PricedCart) -> None:
    """Refuses an order holding more packs of a product than its own limit (``packs_allowed``, all its pack sizes
    together); a product without one is held to the shop's limit per line (``check_quantities``)."""
    packs: dict[int, int] = {}
    products: dict[int, Product] = {}
    for line in cart.lines:
        product = line.pack.product
        if product.max_packs_per_order is None:
            continue
        packs[product.pk] = packs.get(product.pk, 0) + line.quantity
        products[product.pk] = product
    for product_id, count in packs.items():
        limit = packs_allowed(products[product_id])
        if count > limit:
            raise OrderError(
                f"{products[product_id].name}: at most {limit} pack(s) per order, and your cart has {count}. "
                "Lower the quantity in your cart."
            )


def not_sold_online(name: str, legal_status_label: str, *, controlled: bool) -> str:
    """Why a medicine is not sold online ("" when it is): a controlled medicine while the operator does not sell
    them (``SELL_CONTROLLED_ONLINE`` off). The product box shows it instead of "Add to cart"; checkout refuses
    with it (``check_controlled``)."""
    if not controlled or settings.SELL_CONTROLLED_ONLINE:
        return ""
    return (
        f"{name} is a controlled medicine ({legal_status_label}). "
        "This pharmacy does not supply controlled medicines online: "
        "please take your prescription to a pharmacy in person."
    )


def pack_not_sold_online(pack: Pack) -> str:
    """``not_sold_online`` for one pack: its product's prescription need (``product.prescription_need`` when the
    product box has worked it out for all its products at once, else one query)."""
    need = getattr(pack.product, "prescription_need", None) or prescription_needs([pack.product])[pack.product_id]
    medicine = pack.product.medicine
    return not_sold_online(medicine.title, medicine.legal_status_label, controlled=need.controlled)


def check_controlled(cart: PricedCart) -> None:
    """Controlled medicines: refused unless the operator sells them online, then limited per order."""
    controlled = [line for line in cart.lines if line.controlled]
    if not controlled:
        return
    names = ", ".join(sorted({line.pack.product.medicine.title for line in controlled}))
    refusal = not_sold_online(names, controlled[0].pack.product.medicine.legal_status_label, controlled=True)
    if refusal:
        raise OrderError(refusal)
    if sum(line.quantity for line in controlled) > settings.CONTROLLED_MAX_PACKS_PER_ORDER:
        raise OrderError(
            f"{names}: a controlled medicine, at most {settings.CONTROLLED_MAX_PACKS_PER_ORDER} pack(s) per order."
        )

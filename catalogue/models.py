"""Products and packs: what the pharmacy sells, at what price, with how much stock.

The medicine (its guide) says *what* a product is; the product says which form
and strength; the pack says how many units, at what price, and how many are on
the shelf (as Oscar keeps the price on the stock record, apart from the product).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index


class DosageForm(models.TextChoices):
    TABLET = "tablet", "Tablet"
    ODT = "odt", "Orally disintegrating tablet"
    EXTENDED_RELEASE_TABLET = "er_tablet", "Extended-release tablet"
    CAPSULE = "capsule", "Capsule"
    EXTENDED_RELEASE_CAPSULE = "er_capsule", "Extended-release capsule"
    ORAL_SOLUTION = "oral_solution", "Oral solution"
    ORAL_SUSPENSION = "oral_suspension", "Oral suspension"
    GRANULES = "granules", "Oral granules"


# The unit a price is quoted per, for each form: "$0.51 per tablet", "$0.04 per mL".
UNIT_NAMES = {
    DosageForm.TABLET: ("tablet", "tablets"),
    DosageForm.ODT: ("tablet", "tablets"),
    DosageForm.EXTENDED_RELEASE_TABLET: ("tablet", "tablets"),
    DosageForm.CAPSULE: ("capsule", "capsules"),
    DosageForm.EXTENDED_RELEASE_CAPSULE: ("capsule", "capsules"),
    DosageForm.ORAL_SOLUTION: ("mL", "mL"),
    DosageForm.ORAL_SUSPENSION: ("mL", "mL"),
    DosageForm.GRANULES: ("packet", "packets"),
}


class ProductQuerySet(models.QuerySet):
    def available(self):
        return self.filter(active=True)

    def published(self):
        """Active products of live, public guides: what the site, the API and FHIR show."""
        from medicines.models import MedicinePage

        return self.available().filter(medicine__in=MedicinePage.objects.live().public())

    def for_medicine(self, medicine):
        return self.filter(medicine=medicine)

    def grouped_with_packs(self) -> list[Product]:
        """These products in form and strength order, each with ``pack_list``, smallest pack first.

        One query whatever the number of products: the packs are read with
        their product joined, and grouped here.
        """
        packs = (
            Pack.objects.filter(product__in=self)
            .select_related("product")
            .order_by("product__form", "product__strength", "product_id", "units")
        )
        products: dict[int, Product] = {}
        for pack in packs:
            product = products.setdefault(pack.product_id, pack.product)
            if not hasattr(product, "pack_list"):
                product.pack_list = []
            product.pack_list.append(pack)
            pack.product = product
        return list(products.values())


class Product(index.Indexed, ClusterableModel):
    """One form and strength of a medicine: "Baclofen 10 mg tablet"."""

    medicine = models.ForeignKey("medicines.MedicinePage", on_delete=models.CASCADE, related_name="products")
    form = models.CharField(max_length=20, choices=DosageForm.choices)
    strength = models.CharField(max_length=50, help_text="As on the label: “10 mg”, “5 mg/5 mL”.")
    manufacturer = models.CharField(max_length=120, blank=True)
    ndc_product_code = models.CharField(
        "NDC product code", max_length=12, blank=True, help_text="US National Drug Code, labeler-product part."
    )
    rxnorm_code = models.CharField(
        "RxNorm code", max_length=20, blank=True, help_text="RxCUI of this form and strength, where known."
    )
    active = models.BooleanField(default=True, help_text="Inactive products are hidden from the site.")

    objects = ProductQuerySet.as_manager()

    panels = [
        FieldPanel("medicine"),
        FieldRowPanel([FieldPanel("form"), FieldPanel("strength")]),
        FieldRowPanel([FieldPanel("manufacturer"), FieldPanel("ndc_product_code"), FieldPanel("rxnorm_code")]),
        FieldPanel("active"),
        InlinePanel("packs", heading="Packs and prices", label="Pack", min_num=1),
    ]
    search_fields = [
        index.SearchField("strength"),
        index.SearchField("manufacturer"),
        index.FilterField("form"),
        index.FilterField("active"),
        index.AutocompleteField("strength"),
        index.RelatedFields(
            "medicine",
            [index.SearchField("title"), index.SearchField("brand_names"), index.AutocompleteField("title")],
        ),
    ]

    class Meta:
        ordering = ["medicine__title", "form", "strength"]
        constraints = [
            models.UniqueConstraint(fields=["medicine", "form", "strength"], name="unique_product_form_strength")
        ]

    def __str__(self) -> str:
        return f"{self.medicine.title} {self.strength} {self.get_form_display().lower()}"

    @property
    def requires_prescription(self) -> bool:
        return self.medicine.requires_prescription

    @property
    def unit_name(self) -> str:
        return UNIT_NAMES[self.form][0]

    @property
    def unit_name_plural(self) -> str:
        return UNIT_NAMES[self.form][1]


class Pack(Orderable):
    """A sellable pack of a product: how many units, its price and its stock.

    Rules (database constraints): a pack holds at least one unit and costs more than nothing.
    """

    product = ParentalKey(Product, on_delete=models.CASCADE, related_name="packs")
    units = models.PositiveIntegerField(
        help_text="Tablets or capsules in the pack, or millilitres for a liquid.", validators=[MinValueValidator(1)]
    )
    price = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    stock = models.PositiveIntegerField(default=0, help_text="Packs on the shelf.")
    sku = models.CharField("SKU", max_length=40, unique=True)
    ndc = models.CharField("NDC package code", max_length=13, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("units"), FieldPanel("price"), FieldPanel("stock")]),
        FieldRowPanel([FieldPanel("sku"), FieldPanel("ndc")]),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(condition=models.Q(units__gte=1), name="pack_has_units"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="pack_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.units}"

    @property
    def unit_price(self) -> Decimal:
        """The price of one tablet, capsule, packet or mL, to the cent."""
        return (self.price / self.units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def size_label(self) -> str:
        name = self.product.unit_name if self.units == 1 else self.product.unit_name_plural
        return f"{self.units} {name}"

"""Products and packs: what the pharmacy sells, at what price, with how much stock.

The medicine (its guide) says *what* a product is; the product says which form
and strength; the pack says how many units, at what price, and how many are on
the shelf (as Oscar keeps the price on the stock record, apart from the product).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from apothecary.core.freshness import PublicContentQuerySet
from catalogue.strength import strength_sort_key
from medicines.ingredients import ingredient_set


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


def product_name(medicine: str, strength: str, form: str) -> str:
    """How a product is named everywhere (the site, e-mails, the admin, the API, the CSV import, order lines):
    "Baclofen 10 mg tablet". ``medicine`` is its guide's title (or, for a CSV row, the slug that names it)."""
    return f"{medicine} {strength_and_form(strength, form)}"


def strength_and_form(strength: str, form: str) -> str:
    """A product without its medicine: "10 mg tablet", "5 mg/5 mL oral solution"."""
    return f"{strength} {dict(DosageForm.choices).get(form, form).lower()}"


class ProductQuerySet(PublicContentQuerySet):
    def available(self):
        """Active products whose medicine, form, strength and ingredients a pharmacist has approved."""
        return self.filter(active=True, approved_by__isnull=False)

    def published(self):
        """Available products of live, public guides: what the site, the API and FHIR show, and all that is sold."""
        from medicines.models import MedicinePage

        return self.available().filter(medicine__in=MedicinePage.objects.live().public())

    def update(self, **kwargs):
        """A bulk change of identity takes the products off sale until a pharmacist approves them again."""
        if IDENTITY_FIELDS & {name.removesuffix("_id") for name in kwargs}:
            kwargs.update(approved_by=None, approved_at=None)
        return super().update(**kwargs)

    def for_medicine(self, medicine):
        return self.filter(medicine=medicine)

    def grouped_with_packs(self) -> list[Product]:
        """These products in form and strength order (strengths by amount: 5, 10, 20 mg), each with
        ``pack_list``, smallest pack first.

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
        return sorted(products.values(), key=lambda product: (product.form, strength_sort_key(product.strength)))


# What a product *is*: which medicine, form, strength and active ingredients. A change to any of them is a
# pharmacist's decision (``catalogue.services``); made any other way, it takes the product off sale.
IDENTITY_FIELDS = frozenset({"medicine", "form", "strength", "active_ingredients"})


class Product(index.Indexed, ClusterableModel):
    """One form and strength of a medicine: "Baclofen 10 mg tablet".

    Sold only once a pharmacist has approved what it is (``approved_by``): a product made or changed by anybody
    else waits for a pharmacist (``catalogue.services.approve_product``).
    """

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
    active_ingredients = models.CharField(
        max_length=255,
        blank=True,
        help_text="As on the label, comma-separated: “tizanidine hydrochloride”. The same ingredients as the "
        "guide's (salts aside); left blank, the guide's are taken.",
    )
    active = models.BooleanField(default=True, help_text="Inactive products are hidden from the site.")
    max_packs_per_order = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The most packs of this product one order may hold (e.g. for a pharmacy medicine); empty: the "
        "shop's general limit.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The pharmacist who approved this product's medicine, form, strength and ingredients.",
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ProductQuerySet.as_manager()

    panels = [
        FieldPanel("medicine"),
        FieldRowPanel([FieldPanel("form"), FieldPanel("strength")]),
        FieldPanel("active_ingredients"),
        FieldRowPanel([FieldPanel("manufacturer"), FieldPanel("ndc_product_code"), FieldPanel("rxnorm_code")]),
        FieldRowPanel([FieldPanel("active"), FieldPanel("max_packs_per_order")]),
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
        return self.name

    @property
    def name(self) -> str:
        """ "Baclofen 10 mg tablet" (``product_name``)."""
        return product_name(self.medicine.title, self.strength, self.form)

    @property
    def strength_and_form(self) -> str:
        """ "10 mg tablet": the product's name within its medicine's guide."""
        return strength_and_form(self.strength, self.form)

    def clean(self) -> None:
        """Rules: a product holds its guide's active ingredients (salts and hydrates aside)."""
        super().clean()
        if self.medicine_id is None:
            return
        if not self.active_ingredients.strip():
            self.active_ingredients = self.medicine.active_ingredients
        mine, guides = ingredient_set(self.active_ingredients), ingredient_set(self.medicine.active_ingredients)
        if mine != guides:
            raise ValidationError(
                {
                    "active_ingredients": f"A product of the “{self.medicine.title}” guide contains "
                    f"{', '.join(sorted(guides)) or 'what the guide names'}; this one says {', '.join(sorted(mine))}. "
                    "Correct the ingredients, or put the product under its own medicine's guide."
                }
            )

    def identity(self) -> tuple:
        """Medicine, form, strength and ingredients, as compared when deciding whether they changed."""
        return (self.medicine_id, self.form, " ".join(self.strength.lower().split()), self.ingredients)

    @property
    def ingredients(self) -> frozenset[str]:
        return ingredient_set(self.active_ingredients)

    @property
    def is_approved(self) -> bool:
        return self.approved_by_id is not None

    def save(self, *args, **kwargs):
        """New products, and products whose identity changed, wait for a pharmacist's approval (whatever path
        saved them): ``catalogue.services.approve_product`` is the only way back on sale."""
        if not self.active_ingredients.strip() and self.medicine_id is not None:
            self.active_ingredients = self.medicine.active_ingredients
        update_fields = kwargs.get("update_fields")
        if update_fields is None or IDENTITY_FIELDS & {name.removesuffix("_id") for name in update_fields}:
            stored = Product.objects.filter(pk=self.pk).first() if self.pk else None
            if stored is None or stored.identity() != self.identity():
                self.approved_by, self.approved_at = None, None
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "approved_by", "approved_at"}
        super().save(*args, **kwargs)

    @property
    def requires_prescription(self) -> bool:
        return self.medicine.requires_prescription

    @property
    def unit_name(self) -> str:
        return UNIT_NAMES[self.form][0]

    @property
    def unit_name_plural(self) -> str:
        return UNIT_NAMES[self.form][1]


# What is dispensed under a pack's code: a change takes its product off sale until a pharmacist approves it again.
PACK_IDENTITY_FIELDS = frozenset({"product", "sku", "units", "ndc"})


class PackQuerySet(PublicContentQuerySet):
    def sellable(self):
        """The packs the shop sells: of published products (active, approved by a pharmacist, of a live, public
        guide). The cart, checkout, product box and API all sell from here."""
        return self.filter(product__in=Product.objects.published())

    def update(self, **kwargs):
        """A bulk change of what packs are takes their products off sale until a pharmacist approves them again."""
        if PACK_IDENTITY_FIELDS & {name.removesuffix("_id") for name in kwargs}:
            Product.objects.filter(pk__in=self.values("product_id")).update(approved_by=None, approved_at=None)
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        """New packs, made in bulk, take their products off sale until a pharmacist approves them, as one by one."""
        objs = list(objs)
        Product.objects.filter(pk__in={pack.product_id for pack in objs}).update(approved_by=None, approved_at=None)
        return super().bulk_create(objs, *args, **kwargs)


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

    objects = PackQuerySet.as_manager()

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

    def save(self, *args, **kwargs):
        """A new pack, or a change of its SKU, units, NDC or product, takes its product(s) off sale until a
        pharmacist approves them (``catalogue.services.approve_product``): what a code dispenses is theirs to say."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or PACK_IDENTITY_FIELDS & {name.removesuffix("_id") for name in update_fields}:
            stored = Pack.objects.filter(pk=self.pk).values("product_id", "sku", "units", "ndc").first()
            mine = {"product_id": self.product_id, "sku": self.sku, "units": self.units, "ndc": self.ndc}
            if stored != mine:
                products = {self.product_id, stored["product_id"] if stored else None} - {None}
                Product.objects.filter(pk__in=products).update(approved_by=None, approved_at=None)
        super().save(*args, **kwargs)

    @property
    def unit_price(self) -> Decimal:
        """The price of one tablet, capsule, packet or mL, to the cent."""
        return (self.price / self.units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def name(self) -> str:
        """ "Baclofen 10 mg tablet (30 tablets)": the product's name and the pack's size, as the shop says it."""
        return f"{self.product} ({self.size_label})"

    @property
    def size_label(self) -> str:
        name = self.product.unit_name if self.units == 1 else self.product.unit_name_plural
        return f"{self.units} {name}"

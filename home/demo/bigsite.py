"""A big synthetic site on top of the demo, to measure Apothecary at scale (``manage.py generate_catalogue``).

Thousands of guides, products with packs, articles, comments, orders, classes and tags, written in bulk: one
Wagtail ``add_child`` per page would take hours, so the page rows are built here (treebeard paths counted from the
parent's last child, the ``Page`` rows and their specific rows inserted in batches, the parents' ``numchild`` set
once), published (live, with their publication dates) and put into the search index in batches.

Everything generated is plainly synthetic: "Examplamine 12", "Travel notes 1,234", "Reader 42". No guide
holds a medical fact (no uses, doses, side effects or warnings): medical content only ever comes from verified
fact sheets, as in the demo. Generated classes carry the ``GENERATED_SLUG`` marker in their slug, which is how a
second run finds the first and refuses. The words of the names vary as a real site's do: no word is in every title
(a query with a word found on every page is ranked against the whole site).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from apothecary.core.freshness import content_changed

# Sizes of the full site (``--scale 1``), as in the brief of the volume benchmark.
FULL = {
    "guides": 5_000,
    "products": 20_000,
    "articles": 50_000,
    "comments": 500_000,
    "orders": 20_000,
    "classes": 50,
    "tags": 200,
}
# A tiny site for the tests (``--scale small``).
SMALL_SCALE = 0.002
BATCH = 1_000
GENERATED_SLUG = "generated-class-"  # the slug of every generated drug class: the marker of a generated site
SYNTHETIC_NOTE = (
    "A synthetic page, made only to measure how the site performs at scale: it holds no medical information."
)
# Made-up words, so that every name is plainly not a medicine (no real stem such as -olol or -pril).
NAME_STARTS = (
    "Exampl Sampl Mock Fict Demon Placer Specim Model Prox Dumm Surrog Simul Templ Pattern Instanc Protot Illustr "
    "Synthet Artific Imagin Invent Pretend Notion Figur Schem"
).split()
NAME_ENDS = "amine odine arin exil ovan urel ista orin alex ifon enta oprel azine ivor omel atrix eline ustol ipax onil"
NAME_ENDS = NAME_ENDS.split()
BRAND_STARTS = "Test Trial Draft Sketch Proof Pilot Dry Stub Blank Filler".split()
BRAND_ENDS = "ora ex ix on umo ava eno ity".split()
TOPICS = "travel storage packaging labels delivery refills pricing reminders questions reading".split()
FORMS = ("tablet", "capsule", "oral_solution", "er_tablet")
STRENGTHS = ("5 mg", "10 mg", "20 mg", "40 mg", "50 mg", "100 mg")
UNITS = ("28", "56", "84")


class GenerationError(Exception):
    """The site cannot be generated (no demo, or already generated); the message says what to do."""


@dataclass(frozen=True)
class Sizes:
    guides: int
    products: int
    articles: int
    comments: int
    orders: int
    classes: int
    tags: int

    @classmethod
    def scaled(cls, scale: float, **overrides: int | None) -> Sizes:
        """The full site's sizes times ``scale`` (at least one of each), then any size given explicitly."""
        if scale <= 0:
            raise GenerationError(f"The scale must be more than 0 (got {scale}).")
        sizes = {name: max(1, round(count * scale)) for name, count in FULL.items()}
        for name, value in overrides.items():
            if value is not None:
                if value < 0:
                    raise GenerationError(f"--{name} cannot be negative (got {value}).")
                sizes[name] = value
        if sizes["products"] and not sizes["guides"]:
            raise GenerationError("Products need guides: give --guides more than 0.")
        return cls(**sizes)

    def summary(self) -> str:
        """ "5,000 guides, 20,000 products, …, 1 class, 4 tags"."""
        return ", ".join(counted(getattr(self, f.name), f.name) for f in fields(self))


def counted(number: int, plural: str) -> str:
    singular = "class" if plural == "classes" else plural.removesuffix("s")
    return f"{number:,} {plural if number != 1 else singular}"


def parse_scale(text: str) -> float:
    """``--scale``: a number (``0.01``), ``small`` (a tiny site, for tests) or ``full`` (1)."""
    named = {"small": SMALL_SCALE, "full": 1.0}
    if text in named:
        return named[text]
    try:
        return float(text)
    except ValueError:
        raise GenerationError(f"--scale must be a number, 'small' or 'full' (got {text!r}).") from None


class Progress:
    """Prints what is done of one kind: the count, the rate and the time left, every few seconds and at the end."""

    def __init__(self, write: Callable[[str], None], kind: str, total: int, every: float = 3.0):
        self.write, self.kind, self.total, self.every = write, kind, total, every
        self.done = 0
        self.started = self.shown = time.monotonic()

    def add(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.shown >= self.every or self.done >= self.total:
            self.shown = now
            elapsed = max(now - self.started, 1e-6)
            rate = self.done / elapsed
            left = (self.total - self.done) / rate if rate else 0
            self.write(
                f"  {self.kind}: {self.done:,}/{self.total:,} ({100 * self.done // max(self.total, 1)}%), "
                f"{rate:,.0f}/s, {elapsed:.0f} s elapsed, about {left:.0f} s left"
            )


def batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- names ----------------------------------------------------------------------------------------------------


def guide_name(number: int) -> str:
    """The ``number``-th synthetic medicine's name: "Examplamine 1", "Samplamine 1", … "Examplamine 2", …"""
    words = len(NAME_STARTS) * len(NAME_ENDS)
    word = NAME_STARTS[number % len(NAME_STARTS)] + NAME_ENDS[(number // len(NAME_STARTS)) % len(NAME_ENDS)]
    return f"{word} {number // words + 1}"


def brand_name(number: int) -> str:
    words = len(BRAND_STARTS) * len(BRAND_ENDS)
    word = BRAND_STARTS[number % len(BRAND_STARTS)] + BRAND_ENDS[(number // len(BRAND_STARTS)) % len(BRAND_ENDS)]
    return f"{word} {number // words + 1}"


def paragraph(text: str) -> str:
    return f"<p>{text}</p>"


# -- pages in bulk --------------------------------------------------------------------------------------------


def child_paths(parent: Page, count: int) -> list[str]:
    """The treebeard paths of ``count`` new children of ``parent``, after its last child."""
    last = parent.get_last_child()
    first = int(last.path[-Page.steplen :], 36) + 1 if last else 1
    return [parent.path + _base36(first + offset).rjust(Page.steplen, "0") for offset in range(count)]


def _base36(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = Page.alphabet[digit] + digits
    return digits or "0"


def create_pages(parent: Page, model: type[Page], pages: list[Page], published_at) -> list[Page]:
    """Insert ``pages`` (unsaved instances of ``model`` with their title, slug and own fields) as live children of
    ``parent``, in batches: their ``Page`` rows with ``bulk_create``, then their own rows; then the parent's
    ``numchild``. Returns the pages with their ids."""
    content_type = ContentType.objects.get_for_model(model)
    locale_id = parent.locale_id
    base_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    for page, path in zip(pages, child_paths(parent, len(pages)), strict=True):
        page.path, page.depth, page.numchild = path, parent.depth + 1, 0
        page.locale_id, page.translation_key, page.content_type = locale_id, uuid.uuid4(), content_type
        page.draft_title, page.url_path = page.title, f"{parent.url_path}{page.slug}/"
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.first_published_at or published_at
        page.last_published_at = page.first_published_at
    for batch in batches(pages):
        rows = [Page(**{field.attname: getattr(page, field.attname) for field in base_fields}) for page in batch]
        Page.objects.bulk_create(rows)
        for page, row in zip(batch, rows, strict=True):
            page.id = page.page_ptr_id = row.id
        model._base_manager._insert(batch, fields=model._meta.local_concrete_fields, using=connection.alias)
    Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.child_of(parent).count())
    parent.refresh_from_db()
    return pages


def index_for_search(model, ids: list[int], progress: Progress, related: Iterable[str] = ()) -> None:
    """Add these rows of ``model`` to the search index, a batch at a time."""
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for batch in batches(ids, 500):
        objects = list(model._default_manager.filter(pk__in=batch).prefetch_related(*related))
        backend.add_bulk(model, objects)
        progress.add(len(batch))


# -- the generator --------------------------------------------------------------------------------------------


@dataclass
class Context:
    """What every step needs: the demo's pages and pharmacist, a seeded random, the time, how to write."""

    sections: dict
    pharmacist: object
    random: random.Random
    now: object
    write: Callable[[str], None]


def generated_site_exists() -> bool:
    from medicines.models import DrugClassPage

    return DrugClassPage.objects.filter(slug__startswith=GENERATED_SLUG).exists()


def demo_context(write, seed: int) -> Context:
    from articles.models import ArticleIndexPage
    from home.demo.loader import PHARMACIST_EMAIL
    from home.models import HomePage
    from medicines.models import DrugClassIndexPage, MedicineIndexPage

    home = HomePage.objects.first()
    pharmacist = get_user_model().objects.filter(email=PHARMACIST_EMAIL).first()
    sections = {
        "medicines": MedicineIndexPage.objects.first(),
        "classes": DrugClassIndexPage.objects.first(),
        "articles": ArticleIndexPage.objects.first(),
    }
    if home is None or pharmacist is None or not all(sections.values()):
        raise GenerationError("The demo site is missing: run `manage.py load_demo` first, then generate_catalogue.")
    return Context(sections, pharmacist, random.Random(seed), timezone.now(), write)


def make_tags(ctx: Context, count: int) -> list[int]:
    from taggit.models import Tag

    names = [f"{TOPICS[number % len(TOPICS)]} {number // len(TOPICS) + 1}" for number in range(count)]
    Tag.objects.bulk_create([Tag(name=name, slug=slugify(name)) for name in names], ignore_conflicts=True)
    return list(Tag.objects.filter(slug__in=[slugify(name) for name in names]).values_list("pk", flat=True))


def make_classes(ctx: Context, count: int) -> list[int]:
    from medicines.models import DrugClassPage

    pages = [
        DrugClassPage(title=f"Example class {number}", slug=f"{GENERATED_SLUG}{number}", description=SYNTHETIC_NOTE)
        for number in range(1, count + 1)
    ]
    ids = [page.pk for page in create_pages(ctx.sections["classes"], DrugClassPage, pages, ctx.now)]
    index_for_search(DrugClassPage, ids, Progress(ctx.write, "classes indexed for search", len(ids)))
    return ids


def make_guides(ctx: Context, count: int, class_ids: list[int], tag_ids: list[int]) -> list[int]:
    from medicines.ingredients import ingredient_keys
    from medicines.models import MedicinePage, MedicinePageTag
    from medicines.models.choices import LegalStatus

    progress = Progress(ctx.write, "guides", count)
    statuses = [LegalStatus.GENERAL_SALE, LegalStatus.PHARMACY, LegalStatus.PRESCRIPTION, LegalStatus.PRESCRIPTION]
    ids = []
    for batch in batches(list(range(count))):
        pages = []
        for number in batch:
            name = guide_name(number)
            ingredient = name.lower()
            pages.append(
                MedicinePage(
                    title=name,
                    slug=slugify(name),
                    generic_name=ingredient,
                    brand_names=brand_name(number),
                    active_ingredients=ingredient,
                    ingredient_keys=ingredient_keys(ingredient),
                    drug_class_id=class_ids[number % len(class_ids)],
                    legal_status=statuses[number % len(statuses)],
                    summary=SYNTHETIC_NOTE,
                    how_it_works=paragraph(SYNTHETIC_NOTE),
                    how_to_take=paragraph(SYNTHETIC_NOTE),
                    warnings=paragraph(SYNTHETIC_NOTE),
                    search_description=f"{name}: a synthetic guide.",
                )
            )
        create_pages(ctx.sections["medicines"], MedicinePage, pages, ctx.now)
        MedicinePageTag.objects.bulk_create(
            [
                MedicinePageTag(content_object_id=page.pk, tag_id=tag_id)
                for page in pages
                for tag_id in ctx.random.sample(tag_ids, min(3, len(tag_ids)))
            ]
        )
        ids += [page.pk for page in pages]
        progress.add(len(pages))
    index_for_search(
        MedicinePage, ids, Progress(ctx.write, "guides indexed for search", len(ids)), ["indications", "tags"]
    )
    return ids


def make_products(ctx: Context, count: int, guide_ids: list[int]) -> list[int]:
    """``count`` products spread over the guides (form × strength), each with two or three packs, priced and
    stocked, approved by the demo pharmacist once their packs are made (new packs take products off sale)."""
    from catalogue.models import Pack, Product

    progress = Progress(ctx.write, "products", count)
    variants = [(form, strength) for strength in STRENGTHS for form in FORMS]
    per_guide = -(-count // len(guide_ids))
    if per_guide > len(variants):
        raise GenerationError(f"At most {len(variants) * len(guide_ids):,} products for {len(guide_ids):,} guides.")
    made = [(guide_ids[number // per_guide], *variants[number % per_guide]) for number in range(count)]
    ids = []
    for batch in batches(made):
        products = Product.objects.bulk_create(
            [
                Product(medicine_id=guide_id, form=form, strength=strength, manufacturer="Generated Laboratories")
                for guide_id, form, strength in batch
            ]
        )
        packs = []
        for product in products:
            for order, units in enumerate(UNITS[: ctx.random.choice((2, 3))]):
                price = Decimal(ctx.random.randint(199, 9999)) / 100
                packs.append(
                    Pack(
                        product_id=product.pk,
                        units=int(units),
                        price=price,
                        stock=ctx.random.choice((0, 5, 20, 100, 250)),
                        sku=f"GEN-{product.pk}-{units}",
                        sort_order=order,
                    )
                )
        Pack.objects.bulk_create(packs)
        batch_ids = [product.pk for product in products]
        Product.objects.filter(pk__in=batch_ids).update(approved_by=ctx.pharmacist, approved_at=ctx.now)
        ids += batch_ids
        progress.add(len(products))
    index_for_search(Product, ids, Progress(ctx.write, "products indexed for search", len(ids)), ["medicine"])
    return ids


def make_articles(ctx: Context, count: int, tag_ids: list[int]) -> list[int]:
    from articles.models import ArticlePage, ArticlePageTag

    progress = Progress(ctx.write, "articles", count)
    ids = []
    for batch in batches(list(range(1, count + 1))):
        pages = []
        for number in batch:
            topic = TOPICS[number % len(TOPICS)]
            body = [
                {"type": "heading", "value": {"text": f"About {topic}", "level": "h2"}, "id": str(uuid.uuid4())},
                {"type": "paragraph", "value": paragraph(SYNTHETIC_NOTE), "id": str(uuid.uuid4())},
            ]
            pages.append(
                ArticlePage(
                    title=f"{topic.capitalize()} notes {number:,}",
                    slug=f"generated-article-{number}",
                    summary=f"Notes on {topic}, number {number:,}. {SYNTHETIC_NOTE}",
                    body=body,
                    author_name="Generated author",
                    first_published_at=ctx.now - timedelta(minutes=number),
                )
            )
        create_pages(ctx.sections["articles"], ArticlePage, pages, ctx.now)
        ArticlePageTag.objects.bulk_create(
            [
                ArticlePageTag(content_object_id=page.pk, tag_id=tag_id)
                for page in pages
                for tag_id in ctx.random.sample(tag_ids, min(2, len(tag_ids)))
            ]
        )
        ids += [page.pk for page in pages]
        progress.add(len(pages))
    index_for_search(ArticlePage, ids, Progress(ctx.write, "articles indexed for search", len(ids)), ["tags"])
    return ids


def make_comments(ctx: Context, count: int, page_ids: list[int]) -> None:
    """Approved comments, a tenth of them replies to an earlier comment on the same page; a few pages (the first
    guides) get many, most get a few."""
    from discussion.models import Comment, CommentStatus

    progress = Progress(ctx.write, "comments", count)
    busy = page_ids[: max(1, len(page_ids) // 100)]
    for batch in batches(list(range(count)), 5_000):
        tops, replies = [], []
        for number in batch:
            page_id = ctx.random.choice(busy) if number % 4 == 0 else ctx.random.choice(page_ids)
            created = ctx.now - timedelta(minutes=count - number)
            comment = Comment(
                page_id=page_id,
                author_name=f"Reader {number % 9973}",
                author_email=f"reader{number % 9973}@example.com",
                body=f"Generated comment {number:,}. A synthetic question to measure the site.",
                status=CommentStatus.APPROVED,
                created_at=created,
            )
            (replies if number % 10 == 9 and tops else tops).append(comment)
        Comment.objects.bulk_create(tops, batch_size=2_000)
        by_page = {}
        for comment in tops:
            by_page.setdefault(comment.page_id, comment)
        for reply in replies:
            parent = by_page.get(reply.page_id) or tops[0]
            reply.page_id, reply.parent_id = parent.page_id, parent.pk
            reply.body = f"A generated reply. {reply.body}"
        Comment.objects.bulk_create(replies)
        progress.add(len(batch))


def make_orders(ctx: Context, count: int, product_ids: list[int]) -> None:
    """Guest orders of one or two packs. A line that needs a prescription never gets past waiting for it (or
    cancelled): nothing generated is dispensed without one."""
    from catalogue.models import Pack
    from orders.models import Order, OrderLine, OrderStatus, new_order_number

    packs = list(
        Pack.objects.filter(product_id__in=product_ids)
        .select_related("product__medicine")
        .only(
            "pk",
            "sku",
            "price",
            "units",
            "product__form",
            "product__strength",
            "product__active_ingredients",
            "product__medicine__title",
            "product__medicine__legal_status",
        )
    )
    if not packs:
        raise GenerationError("Orders need products: give --products more than 0.")
    open_statuses = [
        OrderStatus.PLACED,
        OrderStatus.APPROVED,
        OrderStatus.DISPENSED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.CANCELLED,
    ]
    prescription_statuses = [OrderStatus.AWAITING_PRESCRIPTION, OrderStatus.CANCELLED]
    progress = Progress(ctx.write, "orders", count)
    for batch in batches(list(range(1, count + 1))):
        orders, lines = [], []
        for number in batch:
            chosen = ctx.random.sample(packs, ctx.random.choice((1, 1, 2)))
            needs = any(pack.product.medicine.requires_prescription for pack in chosen)
            order_lines = []
            for pack in chosen:
                quantity = ctx.random.choice((1, 1, 2))
                order_lines.append(
                    OrderLine(
                        pack_id=pack.pk,
                        description=pack.name,
                        sku=pack.sku,
                        active_ingredients=pack.product.active_ingredients,
                        strength=pack.product.strength,
                        unit_price=pack.price,
                        quantity=quantity,
                        line_total=pack.price * quantity,
                        requires_prescription=pack.product.medicine.requires_prescription,
                        pharmacy_medicine=pack.product.medicine.is_pharmacy_medicine,
                    )
                )
            orders.append(
                Order(
                    number=new_order_number(),
                    checkout_token=f"generated-{number}",
                    email=f"customer{number}@example.com",
                    full_name=f"Generated Customer {number:,}",
                    line1=f"{number} Example Street",
                    city="Exampleton",
                    postcode=f"EX{number % 100} 1AA",
                    country="GB",
                    status=ctx.random.choice(prescription_statuses if needs else open_statuses),
                    payment_method="pay_on_delivery",
                    shipping_method="standard",
                    shipping_label="Standard delivery",
                    shipping_cost=Decimal("4.95"),
                    total=sum(line.line_total for line in order_lines) + Decimal("4.95"),
                    created_at=ctx.now - timedelta(minutes=3 * number),
                )
            )
            lines.append(order_lines)
        Order.objects.bulk_create(orders)
        for order, order_lines in zip(orders, lines, strict=True):
            for line in order_lines:
                line.order_id = order.pk
        OrderLine.objects.bulk_create([line for order_lines in lines for line in order_lines])
        progress.add(len(batch))


def generate(sizes: Sizes, write: Callable[[str], None] = print, seed: int = 1) -> dict[str, float]:
    """Generate a big site of ``sizes`` on top of the demo, in one transaction. Returns the seconds each kind took.

    Raises ``GenerationError`` when the demo is missing or a generated site is already there."""
    from home.search import clear_vocabulary

    timings: dict[str, float] = {}

    def step(kind: str, make):
        started = time.monotonic()
        write(f"Generating {kind}…")
        result = make()
        timings[kind] = time.monotonic() - started
        return result

    with transaction.atomic():
        ctx = demo_context(write, seed)
        if generated_site_exists():
            raise GenerationError(
                "This database already holds a generated site (drug classes “Example class …”): generate_catalogue "
                "runs once per database. Start from a fresh database (migrate, load_demo) to generate another."
            )
        write(f"Generating {sizes.summary()}.")
        tag_ids = step("tags", lambda: make_tags(ctx, sizes.tags))
        class_ids = step("classes", lambda: make_classes(ctx, sizes.classes))
        guide_ids = step("guides", lambda: make_guides(ctx, sizes.guides, class_ids, tag_ids))
        product_ids = step("products", lambda: make_products(ctx, sizes.products, guide_ids) if guide_ids else [])
        article_ids = step("articles", lambda: make_articles(ctx, sizes.articles, tag_ids))
        step("comments", lambda: make_comments(ctx, sizes.comments, guide_ids + article_ids))
        if sizes.orders:
            step("orders", lambda: make_orders(ctx, sizes.orders, product_ids))
        content_changed("generated catalogue")
    with connection.cursor() as cursor:  # the planner's statistics, for tables that grew a hundredfold at once
        cursor.execute("ANALYZE")
    clear_vocabulary()
    return timings

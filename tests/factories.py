"""Builders for test data, in one place. Each returns a saved, published object."""

from __future__ import annotations

import itertools
from decimal import Decimal

from catalogue.models import DosageForm, Pack, Product
from catalogue.services import approve_product
from evidence.models import Reference
from medicines.models import DrugClassPage, FrequencyBand, GuideReference, LegalStatus, MedicinePage, SideEffect
from medicines.services import approve_and_publish

_counter = itertools.count(1)


def make_reference(**fields) -> Reference:
    n = next(_counter)
    defaults = dict(
        authors=f"Author{n} A", title=f"A study of things {n}", container="J Test", year=2020, doi=f"10.5555/test.{n}"
    )
    defaults.update(fields)
    return Reference.objects.create(**defaults)


def make_drug_class(classes_index, title="Muscle relaxants", **fields) -> DrugClassPage:
    page = DrugClassPage(title=title, description=fields.pop("description", f"{title} description."), **fields)
    classes_index.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_medicine(
    medicine_index,
    drug_class,
    title="Baclofen",
    *,
    references=None,
    side_effects=(),
    tags=(),
    legal_status=LegalStatus.PRESCRIPTION,
    **fields,
) -> MedicinePage:
    """A guide a pharmacist approved and published; ``side_effects`` are (effect, band, low, high) and cite the
    first reference. ``last_reviewed`` and ``next_review_due``, when given, overwrite the review stamp the
    approval wrote (for tests of how a stamp is shown or audited)."""
    stamp = {name: fields.pop(name) for name in ("last_reviewed", "next_review_due") if name in fields}
    references = list(references) if references is not None else [make_reference()]
    page = MedicinePage(
        title=title,
        generic_name=fields.pop("generic_name", title.lower()),
        active_ingredients=fields.pop("active_ingredients", title.lower()),
        drug_class=drug_class,
        legal_status=legal_status,
        summary=fields.pop("summary", f"{title} is a medicine."),
        how_it_works=fields.pop("how_it_works", "<p>It works.</p>"),
        how_to_take=fields.pop("how_to_take", "<p>Take it as prescribed.</p>"),
        warnings=fields.pop("warnings", "<p>Do not stop suddenly.</p>"),
        live=False,  # it goes live when the pharmacist's approval publishes it
        **fields,
    )
    for order, reference in enumerate(references):
        page.guide_references.add(GuideReference(reference=reference, sort_order=order))
    for order, (effect, band, low, high) in enumerate(side_effects):
        page.side_effects.add(
            SideEffect(
                effect=effect,
                frequency=band,
                percent_low=low,
                percent_high=high,
                reference=references[0],
                sort_order=order,
            )
        )
    medicine_index.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    approve_and_publish(page, approving_pharmacist())
    if stamp:
        MedicinePage.objects.filter(pk=page.pk).update(**stamp)
    page.refresh_from_db()
    return page


def approving_pharmacist():
    """The pharmacist whose approvals the builders record: one per test database."""
    from accounts.models import User

    existing = User.objects.filter(email=APPROVALS_EMAIL).first()
    return existing or make_user(
        APPROVALS_EMAIL, groups=["Pharmacists"], is_staff=True, first_name="Alex", last_name="Reed"
    )


APPROVALS_EMAIL = "approvals@example.com"


def approve(product: Product) -> Product:
    """The builders' pharmacist approves ``product`` (after test data changed what its packs are)."""
    return approve_product(product, approving_pharmacist())


def make_product(
    medicine, strength="10 mg", form=DosageForm.TABLET, packs=((30, "15.30", 10),), *, approved=True
) -> Product:
    """A product with packs given as (units, price, stock); approved by a pharmacist unless ``approved`` is False."""
    product = Product.objects.create(medicine=medicine, form=form, strength=strength)
    for units, price, stock in packs:
        Pack.objects.create(
            product=product, units=units, price=Decimal(price), stock=stock, sku=f"SKU-{next(_counter)}"
        )
    if approved:
        approve_product(product, approving_pharmacist())
    return product


__all__ = [
    "FrequencyBand",
    "make_reference",
    "make_drug_class",
    "make_medicine",
    "make_product",
    "approve",
    "make_article",
    "make_user",
    "make_pharmacist",
    "health_on_file",
    "make_order",
    "make_prescription_upload",
    "ADDRESS",
]


def make_article(articles_index, title="Stopping baclofen safely", *, body=(), references=(), tags=(), **fields):
    """A published article; ``body`` is a list of (block type, value) pairs."""
    from articles.models import ArticlePage, ArticleReference

    page = ArticlePage(title=title, summary=fields.pop("summary", f"About {title}."), body=list(body), **fields)
    for order, reference in enumerate(references):
        page.article_references.add(ArticleReference(reference=reference, sort_order=order))
    articles_index.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    page.save_revision().publish()
    return page


def make_baclofen(medicines_index, drug_class):
    """Baclofen as most tests know it: two brands, one side effect with its figures, two tags."""
    return make_medicine(
        medicines_index,
        drug_class,
        brand_names="Lioresal (UK), Ozobax",
        side_effects=[("Drowsiness", FrequencyBand.VERY_COMMON, 10, 63)],
        tags=["spasticity", "muscle relaxant"],
    )


def make_user(email="patient@example.com", *, groups=(), **fields):
    """A user with password "pw" in the named groups (e.g. "Pharmacists")."""
    from django.contrib.auth.models import Group

    from accounts.models import User

    user = User.objects.create_user(email, "pw", **fields)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def make_allergic_patient():
    """Robin Patel (robin@example.com), born 29 Feb 1980, allergic to penicillin and latex: what the review screen
    shows beside an order."""
    from datetime import date

    return make_user(
        "robin@example.com",
        first_name="Robin",
        last_name="Patel",
        date_of_birth=date(1980, 2, 29),
        allergy_answer="listed",
        allergies="penicillin, latex",
    )


def make_pharmacist(email="pharmacist@example.com", **fields):
    return make_user(email, groups=["Pharmacists"], is_staff=True, first_name="Sam", last_name="Rivera", **fields)


def health_on_file():
    """What a pharmacist needs before approving an order (``orders.services.require_health_details``): a date of
    birth (29 Feb 1980) and the answer "no known allergies"; as ``make_user(..., **health_on_file())``."""
    from datetime import date

    return {"date_of_birth": date(1980, 2, 29), "allergy_answer": "none"}


ADDRESS = dict(
    full_name="Robin Patient", line1="1 High Street", city="Springfield", postcode="12345", country="United States"
)


def make_order(packs_and_quantities, customer=None, *, email="patient@example.com", payment_method="pay_on_delivery"):
    """An order placed through ``orders.services.place_order`` from [(pack, quantity), ...]."""
    import uuid

    from orders import services

    return services.place_order(
        quantities={pack.pk: quantity for pack, quantity in packs_and_quantities},
        customer=customer,
        email=email,
        address=dict(ADDRESS),
        payment_method=payment_method,
        checkout_token=uuid.uuid4().hex,
    )


def make_prescription_upload(name="prescription.pdf", content=b"%PDF-1.4\n% a test prescription\n%%EOF\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")

"""Writes the demo content (``home.demo`` data) into the database. Idempotent.

Everything is looked up before it is created: users by e-mail, references as
``evidence.services.find_reference`` finds them (by DOI, PMID, URL or citation),
pages by slug under their section, products by medicine, form and strength, packs
by SKU, comments by page, e-mail and text. Existing pages are left as they are (an
editor may have changed them) unless ``refresh`` is set.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from apothecary.core.roles import PHARMACISTS
from evidence.services import find_reference
from home.demo.articles import ARTICLES
from home.demo.comments import COMMENTS
from home.demo.medicines import DRUG_CLASSES, MEDICINES, SCREENING_CLASSES
from home.demo.orders import CARRIERS, DEMO_ORDER, PATIENT, PATIENT_ADDRESS, PATIENT_EMAIL, demo_prescription_pdf
from home.demo.references import REFERENCES

ADMIN_EMAIL = "admin@example.com"
PHARMACIST_EMAIL = "pharmacist@example.com"
LOGINS_FILENAME = "demo-logins.txt"
# Crossref's and PubMed's answers for the demo's DOIs and PMIDs, in the services' formats (sources/README.md).
RECORDED_SOURCES = Path(__file__).parent / "sources"
SOURCES_RECORDED = "as transcribed for the demo on 24 Nov 2026"


def logins_path() -> Path:
    return Path(settings.VAR_DIR) / LOGINS_FILENAME


def read_logins(path: Path | None = None) -> dict[str, str]:
    """The demo passwords by e-mail, from ``var/demo-logins.txt`` (empty if there is none)."""
    path = path or logins_path()
    logins = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and " " in line:
                email, password = line.split(None, 1)
                logins[email] = password.strip()
    return logins


def write_logins(logins: dict[str, str], path: Path | None = None) -> None:
    path = path or logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Demo logins made by `manage.py load_demo`. Local only: never commit or share this file."]
    lines += [f"{email} {password}" for email, password in logins.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)


@dataclass
class Report:
    """What a run did, for the progress lines and the summary."""

    write: Callable[[str], None] = print
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    def section(self, title: str, total: int) -> None:
        self.write(f"Loading {title}: {total}")


def verify_demo_references(references: dict, report: Report) -> None:
    """Checks the demo's references with a DOI or PMID that no live check has settled (offline, the check queued
    on save could not reach Crossref or PubMed) against the answers recorded in ``RECORDED_SOURCES``, so a fresh
    demo shows what its sources say rather than "could not check" on every guide. The notes say the record was
    recorded and when; a live check (``manage.py verify_references --all``) replaces it."""
    from evidence.models import VerificationStatus
    from evidence.verification import verify_from_recorded

    unsettled = {VerificationStatus.NOT_CHECKED, VerificationStatus.COULD_NOT_CHECK}
    outcomes: dict[str, int] = {}
    for reference in {reference.pk: reference for reference in references.values()}.values():
        reference.refresh_from_db()
        if (reference.doi or reference.pmid) and reference.verification_status in unsettled:
            verification = verify_from_recorded(reference, RECORDED_SOURCES, SOURCES_RECORDED)
            if verification is not None:
                label = VerificationStatus(verification.status).label.lower()
                outcomes[label] = outcomes.get(label, 0) + 1
    if outcomes:
        counts = ", ".join(f"{count} {label}" for label, count in sorted(outcomes.items()))
        report.write(f"Checked references against the recorded Crossref and PubMed answers: {counts}.")


# ---------------------------------------------------------------------------
# Users


def ensure_users(report: Report):
    """The demo superuser, pharmacist and patient, with passwords made once and kept in ``var/demo-logins.txt``."""
    User = get_user_model()
    logins = read_logins()
    reused = bool(logins)
    people = [
        (ADMIN_EMAIL, dict(first_name="Demo", last_name="Admin", is_staff=True, is_superuser=True)),
        (
            PHARMACIST_EMAIL,
            dict(
                first_name="Sam",
                last_name="Rivera",
                credentials="PharmD (demo account)",
                is_staff=True,
                is_superuser=False,
            ),
        ),
        (PATIENT_EMAIL, PATIENT),
    ]
    changed_file = False
    users = {}
    for email, fields in people:
        if email not in logins:
            logins[email] = secrets.token_urlsafe(12)
            changed_file = True
            reused = False
        user = User.objects.filter(email=email).first()
        created = user is None
        if created:
            user = User(email=email)
        for name, value in fields.items():
            setattr(user, name, value)
        user.is_active = True
        if created or not user.check_password(logins[email]):
            user.set_password(logins[email])
        user.save()
        report.count("users", created)
        users[email] = user
    if changed_file:
        write_logins(logins)
    pharmacists, _ = Group.objects.get_or_create(name=PHARMACISTS)
    users[PHARMACIST_EMAIL].groups.add(pharmacists)
    report.write(
        "Demo logins: "
        + ("reused from " if reused else "written to ")
        + str(logins_path())
        + " (run `manage.py admin_login` to see them)"
    )
    return users[ADMIN_EMAIL], users[PHARMACIST_EMAIL]


# ---------------------------------------------------------------------------
# References


def ensure_references(report: Report) -> dict:
    from evidence.models import Reference

    report.section("references", len(REFERENCES))
    references = {}
    for key, data in REFERENCES.items():
        # A notice without an address is found by its citation: the same title in the same journal.
        citation = {} if data.get("url") else {"container": data.get("container", "")}
        keys = {name: data.get(name, "") for name in ("doi", "pmid", "url", "title", "kind")}
        reference = find_reference(**keys, **citation)
        created = reference is None
        if created:
            reference = Reference()
        changed = created
        for name, value in data.items():
            if getattr(reference, name) != value:
                setattr(reference, name, value)
                changed = True
        if changed:
            reference.full_clean()
            reference.save()
        references[key] = reference
        report.count("references", created)
    return references


# ---------------------------------------------------------------------------
# Pages


def publish(page: Page, user) -> None:
    page.save_revision(user=user).publish(user=user)


def ensure_drug_classes(classes_index: Page, pharmacist, report: Report) -> dict:
    from medicines.models import DrugClassPage

    report.section("drug classes", len(DRUG_CLASSES))
    classes = {}
    for data in DRUG_CLASSES:
        page = DrugClassPage.objects.child_of(classes_index).filter(slug=data["slug"]).first()
        created = page is None
        if created:
            page = DrugClassPage(title=data["title"], slug=data["slug"], description=data["description"])
            classes_index.add_child(instance=page)
            publish(page, pharmacist)
        classes[data["slug"]] = page
        report.count("drug classes", created)
    return classes


def ensure_screening_classes(report: Report) -> dict:
    """The classes of medicines interaction rows name (``SCREENING_CLASSES``), by key; an editor's changes kept."""
    from medicines.models import ScreeningClass

    report.section("screening classes", len(SCREENING_CLASSES))
    classes = {}
    for data in SCREENING_CLASSES:
        fields = {name: value for name, value in data.items() if name != "key"}
        screening_class, created = ScreeningClass.objects.get_or_create(name=fields.pop("name"), defaults=fields)
        classes[data["key"]] = screening_class
        report.count("screening classes", created)
    return classes


def fill_guide(page, data: dict, drug_class, references: dict, screening_classes: dict | None = None) -> None:
    """Sets a guide's fields and rows from ``data`` (in memory; saved by the revision)."""
    from medicines.models import (
        ClassMembership,
        Contraindication,
        GuideReference,
        Indication,
        Interaction,
        MedicinePage,
        OffLabelUse,
        SideEffect,
        Study,
        UrgentSign,
    )

    for name in (
        "title",
        "generic_name",
        "brand_names",
        "active_ingredients",
        "legal_status",
        "controlled_schedule",
        "summary",
        "how_it_works",
        "how_to_take",
        "boxed_warning",
        "warnings",
        "pregnancy",
        "breastfeeding",
    ):
        setattr(page, name, data[name])
    page.slug = data["slug"]
    page.drug_class = drug_class
    page.minimum_age = data.get("minimum_age")
    page.maximum_age = data.get("maximum_age")
    page.age_limit_reference = references[data["age_limit_reference"]] if data.get("age_limit_reference") else None
    for name, reference_name, _ in MedicinePage.CITED_TEXT_FIELDS:  # empty where the fact sheet is silent
        setattr(page, name, data.get(name, ""))
        setattr(page, reference_name, references[data[reference_name]] if data.get(reference_name) else None)

    def rows(model, items):
        made = []
        for order, item in enumerate(items):
            values = dict(item)
            values["reference"] = references[values["reference"]] if values.get("reference") else None
            if "screening_class" in values:
                key = values["screening_class"]
                values["screening_class"] = (screening_classes or {})[key] if key else None
            for name in ("percent_low", "percent_high"):
                if values.get(name) is not None:
                    values[name] = Decimal(values[name])
            row = model(sort_order=order, **values)
            row.clean()
            made.append(row)
        return made

    listed = set(data["references"])
    data = {"screening": [], "contraindications": [], "urgent_signs": [], **data}
    cited_fields = {
        data[reference_name] for _, reference_name, _ in MedicinePage.CITED_TEXT_FIELDS if data.get(reference_name)
    }
    if not cited_fields <= listed:
        raise ValueError(f"{data['slug']}: cited texts cite unlisted sources: {cited_fields - listed}")
    relations = ("indications", "side_effects", "interactions", "contraindications", "urgent_signs")
    for relation in relations + ("off_label_uses", "studies", "screening"):
        cited = {item["reference"] for item in data[relation] if item.get("reference")}
        if not cited <= listed:
            raise ValueError(f"{data['slug']}: {relation} cite sources missing from its references: {cited - listed}")
    page.guide_references = [
        GuideReference(reference=references[key], sort_order=order) for order, key in enumerate(data["references"])
    ]
    page.indications = rows(Indication, data["indications"])
    page.side_effects = rows(SideEffect, data["side_effects"])
    page.interactions = rows(Interaction, data["interactions"])
    page.contraindications = rows(Contraindication, data["contraindications"])
    page.urgent_signs = rows(UrgentSign, data["urgent_signs"])
    page.off_label_uses = rows(OffLabelUse, data["off_label_uses"])
    page.studies = rows(Study, data["studies"])
    page.class_memberships = rows(ClassMembership, data["screening"])


def set_tags(page, tags: list[str]) -> None:
    if len(set(tags)) != len(tags):
        raise ValueError(f"{page.slug}: a tag is repeated: {tags}")
    page.tags.clear()
    page.tags.add(*tags)


def ensure_guides(
    medicine_index: Page,
    classes: dict,
    references: dict,
    pharmacist,
    report: Report,
    refresh: bool = False,
    screening_classes: dict | None = None,
) -> dict:
    from medicines.models import MedicinePage
    from medicines.services import approve_and_publish

    report.section("medicine guides", len(MEDICINES))
    guides = {}
    for data in MEDICINES:
        page = MedicinePage.objects.child_of(medicine_index).filter(slug=data["slug"]).first()
        created = page is None
        if created:
            page = MedicinePage(live=False)
            fill_guide(page, data, classes[data["drug_class"]], references, screening_classes)
            medicine_index.add_child(instance=page)
        elif refresh:
            fill_guide(page, data, classes[data["drug_class"]], references, screening_classes)
        if created or refresh:
            set_tags(page, data["tags"])
            # The demo pharmacist approves each guide: that writes its review stamp and its prescription status.
            approve_and_publish(page, pharmacist)
            page.refresh_from_db()
        guides[data["slug"]] = page
        report.count("medicine guides", created)
    return guides


def ensure_products(guides: dict, pharmacist, report: Report) -> None:
    from catalogue.models import Pack, Product
    from catalogue.services import approve_product

    total = sum(len(data["products"]) for data in MEDICINES)
    report.section("products", total)
    for data in MEDICINES:
        medicine = guides[data["slug"]]
        for item in data["products"]:
            product, created = Product.objects.get_or_create(
                medicine=medicine, form=item["form"], strength=item["strength"]
            )
            report.count("products", created)
            for order, pack in enumerate(item["packs"]):
                if Pack.objects.filter(sku=pack["sku"]).exists():
                    report.count("packs", False)
                    continue
                Pack.objects.create(
                    product=product,
                    units=pack["units"],
                    price=Decimal(pack["price"]),
                    stock=pack["stock"],
                    sku=pack["sku"],
                    sort_order=order,
                )
                report.count("packs", True)
            product.refresh_from_db()
            if not product.is_approved:
                approve_product(product, pharmacist)  # the demo pharmacist checked what it is and its packs


def article_body(blocks: list, references: dict, guides: dict) -> list[dict]:
    """The StreamField's raw data, with reference keys and guide slugs turned into ids."""
    raw = []
    for block_type, value in blocks:
        if isinstance(value, dict):
            value = dict(value)
            if value.get("reference"):
                value["reference"] = references[value["reference"]].pk
            if "medicine" in value:
                value["medicine"] = guides[value["medicine"]].pk
        raw.append({"type": block_type, "value": value})
    return raw


def ensure_articles(
    articles_index: Page, references: dict, guides: dict, pharmacist, report: Report, refresh: bool = False
) -> dict:
    from articles.models import ArticlePage, ArticleReference

    report.section("articles", len(ARTICLES))
    articles = {}
    for data in ARTICLES:
        page = ArticlePage.objects.child_of(articles_index).filter(slug=data["slug"]).first()
        created = page is None
        if created or refresh:
            if created:
                page = ArticlePage(live=False)
            page.title = data["title"]
            page.slug = data["slug"]
            page.summary = data["summary"]
            page.author_name = data.get("author_name", "Sam Rivera, PharmD")
            page.body = article_body(data["body"], references, guides)
            cited = {
                value["reference"] for _, value in data["body"] if isinstance(value, dict) and value.get("reference")
            }
            if not cited <= set(data["references"]):
                raise ValueError(f"{data['slug']}: the body cites sources missing from its references")
            page.article_references = [
                ArticleReference(reference=references[key], sort_order=order)
                for order, key in enumerate(data["references"])
            ]
            if created:
                articles_index.add_child(instance=page)
            set_tags(page, data["tags"])
            publish(page, pharmacist)
            page.refresh_from_db()
        articles[data["slug"]] = page
        report.count("articles", created)
    return articles


# ---------------------------------------------------------------------------
# The demo patient's order


def ensure_patient_order(report: Report):
    """The patient's saved address and one order for a prescription-only pack, in the pharmacist's review.

    Placed and sent to review through the ordering and prescription services, so it follows their rules (the
    prices, the stock, the uploaded file checked by its bytes). Found again by the patient and its checkout token.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Address
    from catalogue.models import Pack
    from orders import services as order_services
    from orders.models import Order
    from prescriptions import services as prescription_services

    patient = get_user_model().objects.get(email=PATIENT_EMAIL)
    address = Address.objects.filter(user=patient, line1=PATIENT_ADDRESS["line1"]).first()
    if address is None:
        address = Address.objects.create(user=patient, is_default=True, **PATIENT_ADDRESS)
        report.count("addresses", True)
    else:
        report.count("addresses", False)
    token = DEMO_ORDER["checkout_token"]
    order = Order.objects.filter(customer=patient, checkout_token=token).first()
    if order is not None:
        report.count("orders", False)
        return order
    if Order.objects.filter(checkout_token=token).exists():
        raise ValueError(f"The demo order's checkout token {token!r} is used by another customer's order.")
    pack = Pack.objects.get(sku=DEMO_ORDER["sku"])
    try:
        with transaction.atomic():
            order = order_services.place_order(
                quantities={pack.pk: DEMO_ORDER["quantity"]},
                customer=patient,
                email=patient.email,
                address={name: getattr(address, name) for name in PATIENT_ADDRESS},
                payment_method=DEMO_ORDER["payment_method"],
                checkout_token=token,
                shipping=DEMO_ORDER["shipping"],
            )
            upload = SimpleUploadedFile(
                DEMO_ORDER["prescription_filename"], demo_prescription_pdf(), content_type="application/pdf"
            )
            prescription = prescription_services.submit_prescription(patient, upload=upload)
            order_services.attach_prescription(order, prescription)
    except order_services.OrderError as error:  # e.g. the pack was sold out in this database
        report.write(f"Demo order: skipped ({error})")
        return None
    report.count("orders", True)
    return order


def ensure_carriers(report: Report) -> None:
    """The fictional carriers the ship action offers (found again by name)."""
    from orders.models import Carrier

    for carrier in CARRIERS:
        _, created = Carrier.objects.get_or_create(name=carrier["name"], defaults=carrier)
        report.count("carriers", created)


# ---------------------------------------------------------------------------
# Comments and settings


def comment_model():
    try:
        return apps.get_model("discussion", "Comment")
    except LookupError:
        return None


def ensure_comments(guides: dict, articles: dict, pharmacist, report: Report) -> None:
    Comment = comment_model()
    if Comment is None:
        report.write("Loading comments: skipped (the discussion app has no Comment model yet)")
        return
    report.section("comments", len(COMMENTS))
    made = {}
    for data in COMMENTS:
        kind, slug = data["page"]
        page = guides[slug] if kind == "medicine" else articles[slug]
        by_pharmacist = data.get("by_pharmacist", False)
        author = pharmacist if by_pharmacist else None
        email = pharmacist.email if by_pharmacist else data["author_email"]
        name = pharmacist.get_full_name() if by_pharmacist else data["author_name"]
        parent = made[data["reply_to"]] if data.get("reply_to") else None
        comment = Comment.objects.filter(page=page, author_email=email, body=data["body"]).first()
        created = comment is None
        if created:
            comment = Comment(
                page=page,
                parent=parent,
                author_name=name,
                author_email=email,
                author=author,
                body=data["body"],
                status=data["status"],
                by_pharmacist=by_pharmacist,
                created_at=data["created_at"],
            )
            comment.full_clean()
            comment.save()
        made[data["key"]] = comment
        report.count("comments", created)


def ensure_settings(report: Report) -> None:
    from home.models import PharmacySettings

    site = Site.objects.get(is_default_site=True)
    # Read from the database, not the settings cache (which may hold a copy the database no longer has): made with its
    # defaults if missing; an editor's changes are kept.
    settings, _ = PharmacySettings.objects.get_or_create(site=site)
    if not settings.legal_name:
        # An OBVIOUSLY FICTIONAL pharmacy: no real name, address or registration number.
        for name, value in DEMO_IDENTITY.items():
            setattr(settings, name, value)
        settings.save()
        report.write(f"Site settings: the fictional legal identity “{settings.legal_name}”")
    else:
        report.write("Site settings: the legal identity an editor set is kept")


DEMO_IDENTITY = {
    "legal_name": "Apothecary Demo Pharmacy Ltd (fictional)",
    "registered_address": "1 Example Street\nExampletown EX1 0AA (fictional address)",
    "registration_number": "DEMO-0000000",
    "regulator_name": "Example Pharmacy Regulator (fictional, for the demo)",
    "regulator_register_url": "https://register.example.org/pharmacies/DEMO-0000000",
    "registration_label": "Demo registration number (not a real registration)",
    "superintendent_pharmacist": "Dr Demo Pharmacist (fictional)",
    "phone": "000 0000 0000",
    "contact_email": "hello@demo-pharmacy.example",
    "complaints": "This is a demonstration site, not a pharmacy: no complaint can be handled here. A real pharmacy "
    "says here how to complain to it, and how to take a complaint further to its regulator.",
    "privacy_notice_url": "https://example.org/apothecary-demo/privacy",
    "terms_url": "https://example.org/apothecary-demo/terms",
}


# ---------------------------------------------------------------------------


def load_demo(write: Callable[[str], None] = print, refresh: bool = False) -> Report:
    """Loads the whole demo site; safe to run again (nothing is duplicated)."""
    from home.services import build_site, index_references

    report = Report(write=write)
    # Wagtail's reference index (the admin's "Usage" counts) is written once at the end for what the demo made,
    # not again on every save of every revision: loading takes half the time.
    with transaction.atomic(), disable_reference_index_auto_update():
        pages = build_site()
        _, pharmacist = ensure_users(report)
        references = ensure_references(report)
        classes = ensure_drug_classes(pages["classes"], pharmacist, report)
        screening_classes = ensure_screening_classes(report)
        guides = ensure_guides(pages["medicines"], classes, references, pharmacist, report, refresh, screening_classes)
        ensure_products(guides, pharmacist, report)
        articles = ensure_articles(pages["articles"], references, guides, pharmacist, report, refresh)
        ensure_comments(guides, articles, pharmacist, report)
        ensure_patient_order(report)
        ensure_carriers(report)
        ensure_settings(report)
        index_references()
    verify_demo_references(references, report)
    kinds = sorted(set(report.created) | set(report.existing))
    summary = ", ".join(
        f"{kind} {report.created.get(kind, 0)} new / {report.existing.get(kind, 0)} kept" for kind in kinds
    )
    write(f"Demo site loaded: {summary}.")
    return report

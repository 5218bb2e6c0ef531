"""The demo site loader: complete, sourced, and safe to run twice.

The demo is loaded once for the module (twice, to check nothing is duplicated)
inside a transaction that is rolled back at the end, so other tests never see it.
"""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from home.demo.loader import ADMIN_EMAIL, PATIENT_EMAIL, PHARMACIST_EMAIL, read_logins

# Every DOI and PMID the fact sheet allows the demo to cite; nothing else may appear.
ALLOWED_DOIS = {
    "10.1177/1352458516643600",
    "10.1191/1352458502ms795rr",
    "10.1002/14651858.cd012557.pub3",
    "10.1016/j.jpainsymman.2004.05.002",
    "10.1001/archinte.161.13.1613",
    "10.3810/pgm.2010.07.2182",
    "10.1126/science.959824",
}
ALLOWED_PMIDS = {"27207462", "15276195", "7970014", "7970010", "11434793", "20675978"}


def counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from taggit.models import Tag
    from wagtail.models import Page

    from articles.models import ArticleReference
    from catalogue.models import Pack, Product
    from discussion.models import Comment
    from evidence.models import Reference
    from medicines.models import GuideReference, SideEffect, Study
    from orders.models import Order, OrderLine
    from prescriptions.models import Prescription

    return {
        "pages": Page.objects.count(),
        "references": Reference.objects.count(),
        "guide references": GuideReference.objects.count(),
        "article references": ArticleReference.objects.count(),
        "side effects": SideEffect.objects.count(),
        "studies": Study.objects.count(),
        "products": Product.objects.count(),
        "packs": Pack.objects.count(),
        "comments": Comment.objects.count(),
        "users": get_user_model().objects.count(),
        "tags": Tag.objects.count(),
        "orders": Order.objects.count(),
        "order lines": OrderLine.objects.count(),
        "prescriptions": Prescription.objects.count(),
        "stock": sum(Pack.objects.values_list("stock", flat=True)),
    }


@pytest.fixture(scope="module")
def demo_loaded_twice(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loads the demo twice; yields what each run left behind, then rolls everything back."""
    var_dir = tmp_path_factory.mktemp("var")
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir):
        with transaction.atomic():
            call_command("load_demo", allow_production=True, stdout=StringIO())
            first = counts()
            first_logins = read_logins()
            call_command("load_demo", allow_production=True, stdout=StringIO())
            second = counts()
            yield dict(first=first, second=second, first_logins=first_logins, var_dir=Path(var_dir))
            transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_loading_twice_duplicates_nothing(demo_loaded_twice):
    assert demo_loaded_twice["first"] == demo_loaded_twice["second"]
    assert demo_loaded_twice["first"]["references"] > 0 and demo_loaded_twice["first"]["packs"] > 0


def test_guides_articles_and_classes_are_live(demo_loaded_twice):
    from articles.models import ArticlePage
    from medicines.models import DrugClassPage, MedicinePage

    guides = MedicinePage.objects.live()
    assert guides.count() >= 8
    assert guides.values("drug_class").distinct().count() >= 3
    assert DrugClassPage.objects.live().count() >= 3
    assert ArticlePage.objects.live().count() >= 3
    pharmacist = guides.first().reviewed_by
    assert pharmacist.email == PHARMACIST_EMAIL
    assert all(guide.reviewed_by_id == pharmacist.pk for guide in guides)


def test_baclofen_is_sold_only_in_real_strengths(demo_loaded_twice):
    from catalogue.models import Product

    strengths = set(Product.objects.filter(medicine__slug="baclofen").values_list("strength", flat=True))
    assert strengths == {"5 mg", "10 mg", "20 mg"}
    assert not Product.objects.filter(medicine__slug="baclofen", strength="25 mg").exists()


def test_some_pack_is_out_of_stock_and_none_has_an_ndc(demo_loaded_twice):
    from catalogue.models import Pack

    assert Pack.objects.filter(stock=0).count() == 1
    assert not Pack.objects.exclude(ndc="").exists()


def test_every_cited_row_cites_one_of_its_guides_references(demo_loaded_twice):
    from medicines.models import MedicinePage

    for guide in MedicinePage.objects.all():
        listed = set(guide.guide_references.values_list("reference_id", flat=True))
        for relation in (
            "side_effects",
            "studies",
            "off_label_uses",
            "interactions",
            "class_memberships",
            "contraindications",
            "urgent_signs",
        ):
            for row in getattr(guide, relation).all():
                assert row.reference_id in listed, (guide.slug, relation, str(row.reference))
        for name, reference_name, _ in MedicinePage.CITED_TEXT_FIELDS:
            reference_id = getattr(guide, f"{reference_name}_id")
            assert bool(getattr(guide, name)) == (reference_id is not None), (guide.slug, name)
            assert reference_id in listed | {None}, (guide.slug, name)
        for row in guide.indications.all():
            assert row.reference_id is None or row.reference_id in listed


def test_article_quotes_and_tables_cite_listed_references(demo_loaded_twice):
    from articles.models import ArticlePage

    for article in ArticlePage.objects.all():
        listed = set(article.article_references.values_list("reference_id", flat=True))
        assert listed
        for block in article.body:
            if block.block_type in ("quote", "table") and block.value.get("reference"):
                assert block.value["reference"].pk in listed


def test_only_the_fact_sheets_identifiers_are_cited(demo_loaded_twice):
    from evidence.models import Reference
    from home.demo import articles, comments, medicines, references

    assert {doi.lower() for doi in Reference.objects.exclude(doi="").values_list("doi", flat=True)} <= ALLOWED_DOIS
    assert set(Reference.objects.exclude(pmid="").values_list("pmid", flat=True)) <= ALLOWED_PMIDS
    for module in (articles, comments, medicines, references):
        source = Path(module.__file__).read_text()
        for doi in re.findall(r"10\.\d{4,9}/[^\s\"']+", source):
            assert doi.lower() in ALLOWED_DOIS, doi


def test_carisoprodol_is_controlled_schedule_iv(demo_loaded_twice):
    from medicines.models import MedicinePage

    carisoprodol = MedicinePage.objects.get(slug="carisoprodol")
    assert (carisoprodol.legal_status, carisoprodol.controlled_schedule) == ("controlled", "IV")
    assert MedicinePage.objects.exclude(slug="carisoprodol").filter(legal_status="controlled").count() == 0


def test_screening_classes_memberships_and_age_limits_are_the_fact_sheets(demo_loaded_twice):
    from medicines.models import ClassMembership, Interaction, MedicinePage
    from orders.services.screening import screening

    members = {}
    for membership in ClassMembership.objects.select_related("page", "screening_class"):
        members.setdefault(membership.screening_class.name, set()).add(membership.page.slug)
    assert members == {
        "CNS depressants": {"baclofen", "tizanidine", "cyclobenzaprine", "methocarbamol", "carisoprodol"},
        "Alpha-2 adrenergic agonists": {"tizanidine"},
        "Serotonergic medicines": {"cyclobenzaprine"},
        "Anticholinergics": {"cyclobenzaprine"},
    }  # dantrolene names CNS depressants but its membership is not stated: left out
    naming = Interaction.objects.filter(screening_class__name="CNS depressants").values_list("page__slug", flat=True)
    assert set(naming) == {"baclofen", "tizanidine", "cyclobenzaprine", "methocarbamol", "dantrolene"}
    assert Interaction.objects.get(screening_class__name="MAO inhibitors").severity == "contraindicated"
    for slug in ("tizanidine", "carisoprodol"):
        guide = MedicinePage.objects.get(slug=slug)
        assert guide.minimum_age == 18 and guide.age_limit_reference.title == guide.indications.first().reference.title
    assert not MedicinePage.objects.exclude(slug__in=["tizanidine", "carisoprodol"]).exclude(minimum_age=None)

    from orders.models import Order

    demo_order = Order.objects.get(checkout_token="demo-order-1")
    # The demo patient's details are complete: the review screen is not amber for no reason.
    assert screening(demo_order).level == "clear"


def test_side_effect_figures_match_the_label(demo_loaded_twice):
    from medicines.models import MedicinePage

    baclofen = MedicinePage.objects.get(slug="baclofen")
    drowsiness = baclofen.side_effects.get(effect__startswith="Drowsiness")
    assert (drowsiness.frequency, drowsiness.percent_range) == ("very_common", "10–63%")
    assert "175 patients" in drowsiness.note
    methocarbamol = MedicinePage.objects.get(slug="methocarbamol")
    # Its label gives no frequencies and the sheet's list of effects is partly unverified: no rows.
    assert not methocarbamol.side_effects.exists()


def test_boxed_warnings_only_where_the_label_has_one(demo_loaded_twice):
    from medicines.models import MedicinePage

    boxed = set(MedicinePage.objects.exclude(boxed_warning="").values_list("slug", flat=True))
    assert boxed == {"dantrolene", "metformin"}


def test_comments_pending_approved_and_a_pharmacists_reply(demo_loaded_twice):
    from articles.models import ArticlePage
    from discussion.models import Comment

    baclofen_comments = Comment.objects.filter(page__slug="baclofen")
    assert baclofen_comments.filter(status="approved", parent=None, by_pharmacist=False).count() >= 2
    assert Comment.objects.filter(status="pending").count() == 1
    reply = Comment.objects.get(by_pharmacist=True)
    assert reply.parent is not None and reply.status == "approved"
    assert reply.author.email == PHARMACIST_EMAIL
    article_ids = ArticlePage.objects.values_list("pk", flat=True)
    assert Comment.objects.filter(page_id__in=article_ids, status="approved").exists()


def test_search_finds_baclofen_by_brand_and_by_condition(demo_loaded_twice):
    from home.services import search_pages

    assert "baclofen" in [page.slug for page in search_pages("Lioresal")]
    assert "baclofen" in [page.slug for page in search_pages("spasticity")]


def test_demo_users_and_logins_file_are_reused(demo_loaded_twice):
    from django.contrib.auth import get_user_model

    logins = read_logins(demo_loaded_twice["var_dir"] / "demo-logins.txt")
    assert logins == demo_loaded_twice["first_logins"]
    assert set(logins) == {ADMIN_EMAIL, PHARMACIST_EMAIL, PATIENT_EMAIL}
    User = get_user_model()
    admin = User.objects.get(email=ADMIN_EMAIL)
    pharmacist = User.objects.get(email=PHARMACIST_EMAIL)
    assert admin.is_superuser and admin.check_password(logins[ADMIN_EMAIL])
    assert pharmacist.is_staff and not pharmacist.is_superuser and pharmacist.is_pharmacist()
    assert pharmacist.check_password(logins[PHARMACIST_EMAIL])
    assert pharmacist.name_with_credentials == "Sam Rivera, PharmD (demo account)"


def test_admin_login_prints_the_logins(demo_loaded_twice):
    out = StringIO()
    with override_settings(VAR_DIR=demo_loaded_twice["var_dir"]):
        call_command("admin_login", stdout=out)
    assert f"email {ADMIN_EMAIL}  password {demo_loaded_twice['first_logins'][ADMIN_EMAIL]}" in out.getvalue()
    assert "Pharmacist login" in out.getvalue()
    assert "Patient login: http://127.0.0.1:8000/" in out.getvalue()
    assert f"email {PATIENT_EMAIL}  password {demo_loaded_twice['first_logins'][PATIENT_EMAIL]}" in out.getvalue()


def test_admin_login_without_a_file_says_what_to_run(tmp_path):
    out = StringIO()
    with override_settings(VAR_DIR=tmp_path):
        call_command("admin_login", stdout=out)
    assert "load_demo" in out.getvalue()


def test_load_demo_refuses_a_production_site_unless_told():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", stdout=StringIO())


def test_the_demo_patient_has_a_login_an_address_and_no_staff_rights(demo_loaded_twice):
    from django.contrib.auth import get_user_model

    patient = get_user_model().objects.get(email=PATIENT_EMAIL)
    assert patient.check_password(demo_loaded_twice["first_logins"][PATIENT_EMAIL])
    assert patient.is_active and not patient.is_staff and not patient.is_superuser and not patient.is_pharmacist()
    assert patient.get_full_name() == "Robin Patel" and patient.date_of_birth is not None
    assert patient.allergy_list == ["penicillin"]
    [address] = patient.addresses.all()
    assert address.is_default and address.full_name == "Robin Patel"


def test_the_patients_allergy_matches_no_demo_medicine(demo_loaded_twice):
    from medicines.models import MedicinePage

    for guide in MedicinePage.objects.all():
        names = " ".join([guide.title, guide.generic_name, guide.active_ingredients]).lower()
        assert "penicillin" not in names, guide.slug


def test_one_demo_order_waits_for_the_pharmacist_with_its_prescription(demo_loaded_twice):
    from orders.models import Order, OrderStatus
    from orders.services import safety_checks

    assert demo_loaded_twice["first"]["orders"] == demo_loaded_twice["second"]["orders"] == 1
    assert (
        demo_loaded_twice["first"]["stock"] == demo_loaded_twice["second"]["stock"]
    )  # stock was taken once, by the one order
    order = Order.objects.get(customer__email=PATIENT_EMAIL, checkout_token="demo-order-1")
    assert order.status == OrderStatus.IN_REVIEW
    assert list(Order.objects.awaiting_review()) == [order]
    [line] = order.lines.all()
    assert line.requires_prescription and line.pack.sku == "BAC-10-TAB-30" and line.quantity == 1
    assert line.unit_price == line.pack.price and order.shipping_method == "standard"
    assert order.total == line.unit_price + order.shipping_cost  # the pack and the standard shipping
    assert order.line1 == order.customer.addresses.get().line1
    assert list(order.events.values_list("to_status", flat=True)) == [
        OrderStatus.PLACED,
        OrderStatus.AWAITING_PRESCRIPTION,
        OrderStatus.IN_REVIEW,
    ]
    prescription = order.prescription
    assert prescription.patient == order.customer and prescription.status == "submitted"
    assert prescription.has_file and prescription.content_type == "application/pdf"
    assert prescription.original_filename == "demo-prescription.pdf"
    with prescription.file.open("rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF-1.4") and b"DEMO PRESCRIPTION \x96 not valid for dispensing" in content
    assert not [warning for warning in safety_checks(order) if warning.kind == "allergy"]


def test_the_demo_prescription_is_a_well_formed_pdf():
    from home.demo.orders import demo_prescription_pdf

    pdf = demo_prescription_pdf()
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.endswith(b"%%EOF\n")
    startxref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert pdf[startxref:].startswith(b"xref\n0 6\n")
    entries = pdf[startxref:].split(b"\n")[3:8]
    for number, entry in enumerate(entries, 1):
        offset = int(entry.split()[0])
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number), number
    length = int(re.search(rb"/Length (\d+)", pdf).group(1))
    stream = pdf.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")


def test_the_demos_pharmacy_is_obviously_fictional(demo_loaded_twice):
    from apothecary.core.identity import pharmacy_identity

    identity = pharmacy_identity()
    assert identity.legal_name == "Apothecary Demo Pharmacy Ltd (fictional)"
    assert identity.registration_number == "DEMO-0000000"
    assert identity.address_lines == ["1 Example Street", "Exampletown EX1 0AA (fictional address)"]
    assert "fictional" in identity.superintendent_pharmacist and "fictional" in identity.regulator_name
    assert identity.regulator_register_url.startswith("https://register.example.org/")

"""``manage.py generate_catalogue``: a big synthetic site, built in bulk, that Wagtail serves like any other.

Generated at the tiny size (``--scale small``) on top of the demo, once for the module, rolled back after it.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from home.demo.bigsite import SYNTHETIC_NOTE, GenerationError, Sizes, guide_name, parse_scale

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bigsite(demo, django_db_blocker):
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("generate_catalogue", scale="small", guides=12, products=30, allow_production=True, stdout=out)
    return out.getvalue()


def test_generation_reports_progress_and_counts(bigsite):
    assert "Generating 12 guides, 30 products, 100 articles, 1,000 comments, 40 orders" in bigsite
    assert "guides: 12/12 (100%)" in bigsite and "/s," in bigsite and "left" in bigsite
    assert "comments: 1,000/1,000 (100%)" in bigsite


def test_the_tree_is_valid_and_counted(bigsite):
    from wagtail.models import Page

    from articles.models import ArticleIndexPage
    from medicines.models import MedicineIndexPage

    assert Page.find_problems() == ([], [], [], [], [])
    medicines = MedicineIndexPage.objects.get()
    assert medicines.numchild == Page.objects.child_of(medicines).count() >= 12 + 8
    assert ArticleIndexPage.objects.get().get_children().filter(slug__startswith="generated-article-").count() == 100


def test_generated_pages_are_served_and_found(bigsite, client):
    from articles.models import ArticlePage
    from discussion.models import Comment
    from medicines.models import DrugClassPage, MedicinePage

    guide = MedicinePage.objects.get(slug="examplamine-1")
    response = client.get(guide.url)
    assert response.status_code == 200
    assert "Examplamine 1" in response.content.decode()
    assert guide.products.available().count() >= 1 and guide.products.first().packs.count() >= 2
    article = ArticlePage.objects.filter(slug__startswith="generated-article-").first()
    assert client.get(article.url).status_code == 200
    assert client.get(DrugClassPage.objects.get(slug="generated-class-1").url).status_code == 200
    assert Comment.objects.approved().filter(body__startswith="Generated comment").count() == 900
    replies = Comment.objects.approved().filter(body__startswith="A generated reply")
    assert replies.count() == 100 and not replies.exclude(page=models.F("parent__page")).exists()
    search = client.get("/search/", {"q": "Examplamine 1"})
    assert search.status_code == 200 and guide.url in search.content.decode()


def test_generated_guides_hold_no_medical_facts(bigsite):
    from medicines.models import MedicinePage

    for guide in MedicinePage.objects.filter(drug_class__slug__startswith="generated-class-"):
        assert guide.summary == SYNTHETIC_NOTE
        for relation in ("indications", "side_effects", "interactions", "studies", "off_label_uses"):
            assert not getattr(guide, relation).exists()


def test_orders_never_dispense_a_prescription_line_without_one(bigsite):
    from orders.models import Order, OrderStatus

    generated = Order.objects.filter(checkout_token__startswith="generated-")
    assert generated.count() == 40
    with_prescription_lines = generated.filter(lines__requires_prescription=True).distinct()
    assert set(with_prescription_lines.values_list("status", flat=True)) <= {
        OrderStatus.AWAITING_PRESCRIPTION,
        OrderStatus.CANCELLED,
    }


def test_a_second_run_is_refused(bigsite):
    with pytest.raises(CommandError, match="already holds a generated site"):
        call_command("generate_catalogue", scale="small", allow_production=True, stdout=StringIO())


def test_bad_sizes_are_refused_clearly():
    assert guide_name(0) == "Examplamine 1"
    with pytest.raises(GenerationError, match="scale must be a number"):
        parse_scale("huge")
    with pytest.raises(GenerationError, match="more than 0"):
        Sizes.scaled(0)
    with pytest.raises(GenerationError, match="--comments cannot be negative"):
        Sizes.scaled(1, comments=-1)

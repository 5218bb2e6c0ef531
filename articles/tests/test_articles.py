import pytest

from articles import services
from tests.factories import make_article, make_medicine, make_product, make_reference


@pytest.fixture
def article(site_pages, medicine):
    source = make_reference(
        authors="Paisley S, et al.",
        title="Clinical effectiveness of oral treatments for spasticity in multiple sclerosis",
        container="Mult Scler",
        year=2002,
    )
    make_product(medicine)
    body = [
        ("heading", {"text": "Why doses are tapered", "level": "h2"}),
        ("paragraph", "<p>Baclofen should not be stopped suddenly.</p>"),
        (
            "quote",
            {"quote": "little evidence that they lead to an improvement in patient function", "reference": source},
        ),
        ("callout", {"kind": "warning", "title": "Do not stop suddenly", "text": "<p>Ask your pharmacist.</p>"}),
        (
            "table",
            {
                "caption": "Label figures",
                "reference": source,
                "table": {
                    "data": [["Effect", "Share"], ["Drowsiness", "10–63%"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                },
            },
        ),
        ("product_box", {"medicine": medicine}),
    ]
    return make_article(site_pages["articles"], body=body, references=[source], tags=["spasticity"])


@pytest.mark.django_db
def test_article_renders_every_block_with_numbered_sources(client, article):
    html = client.get(article.url).content.decode()
    assert "<h2>Why doses are tapered</h2>" in html
    assert (
        "<blockquote><p>little evidence that they lead to an improvement in patient function</p></blockquote>" in html
    )
    assert "Paisley S 2002" in html and 'href="#ref-1"' in html and 'id="ref-1"' in html
    assert 'class="callout callout--warning"' in html
    assert '<th scope="col">Effect</th>' in html and '<th scope="row">Drowsiness</th>' in html
    assert "$0.51" in html and "per tablet" in html
    assert 'id="comments"' in html


@pytest.mark.django_db
def test_article_index_lists_articles(client, article):
    html = client.get("/articles/").content.decode()
    assert f'href="{article.url}"' in html


@pytest.mark.django_db
def test_see_also_puts_editor_picks_first_then_the_closest_pages(site_pages, drug_class, medicine, article):
    from articles.models import ArticleSeeAlsoLink

    sibling = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine", tags=["spasticity"])
    unrelated_class = make_medicine(site_pages["medicines"], drug_class, title="Dantrolene")
    other = make_article(site_pages["articles"], title="Statins in pregnancy", tags=["cholesterol"])

    related = services.see_also(medicine)
    assert related[0].pk == sibling.pk  # shares the class and a tag
    assert {page.pk for page in related} >= {sibling.pk, unrelated_class.pk, article.pk}
    assert medicine.pk not in {page.pk for page in related}
    assert other.pk not in {page.pk for page in related}

    ArticleSeeAlsoLink.objects.create(page=article, linked_page=other)
    assert services.see_also(article)[0].pk == other.pk


@pytest.mark.django_db
def test_content_pages_are_the_live_guides_and_articles(site_pages, medicine, article):
    make_article(site_pages["articles"], title="Withdrawn").unpublish()
    assert {model.__name__ for model in services.content_page_models()} == {"MedicinePage", "ArticlePage"}
    assert set(services.content_pages().values_list("pk", flat=True)) == {medicine.pk, article.pk}


@pytest.mark.django_db
def test_pages_tagged_lists_live_guides_and_articles_with_the_tag(site_pages, drug_class, medicine, article):
    from taggit.models import Tag

    guide = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine", tags=["spasticity"])
    make_medicine(site_pages["medicines"], drug_class, title="Dantrolene", tags=["other"])
    tag = Tag.objects.get(name="spasticity")
    assert [page.pk for page in services.pages_tagged(tag)] == [medicine.pk, article.pk, guide.pk]


@pytest.mark.django_db
def test_a_quote_shows_its_attribution_and_its_source(client, site_pages):
    source = make_reference(authors="Paisley S, et al.", title="Oral treatments for spasticity", year=2002)
    body = [
        ("quote", {"quote": "Fair evidence.", "reference": source, "attribution": "A systematic review"}),
        ("quote", {"quote": "Promising results.", "reference": None, "attribution": "Alcohol and Alcoholism"}),
        ("quote", {"quote": "Said by nobody.", "reference": None, "attribution": ""}),
    ]
    page = make_article(site_pages["articles"], body=body, references=[source])
    html = client.get(page.url).content.decode()
    assert "<figcaption>— A systematic review<sup" in html and 'href="#ref-1"' in html
    assert "<figcaption>— Alcohol and Alcoholism</figcaption>" in html
    assert html.count("<figcaption>") == 2  # the quote credited to nobody has no caption


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 40])
def test_the_reference_list_of_a_draft_is_read_in_one_query_however_long(site_pages, count, django_assert_num_queries):
    """The edit screen audits the latest revision: its reference list must not cost a query per reference."""
    references = [make_reference() for _ in range(count)]
    page = make_article(site_pages["articles"], references=references)
    draft = page.get_latest_revision_as_object()
    with django_assert_num_queries(1):
        rows = draft.numbered_references
    assert [(row.number, row.reference) for row in rows] == list(enumerate(references, start=1))


@pytest.mark.django_db
def test_a_source_a_quote_cites_is_listed_under_references_on_save(admin_client, site_pages):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    from articles.models import ArticlePage

    listed, quoted = make_reference(title="Listed"), make_reference(title="Quoted")
    data = nested_form_data(
        {
            "title": "Stopping baclofen safely",
            "slug": "stopping-baclofen-safely",
            "summary": "Why doses are tapered.",
            "author_name": "",
            "body": streamfield([("quote", {"quote": "Taper it.", "reference": quoted.pk, "attribution": ""})]),
            "article_references": inline_formset([{"reference": listed.pk}]),
            "see_also_links": inline_formset([]),
            "tags": "",
            "imported_tags": "",
        }
    )
    response = admin_client.post(f"/admin/pages/add/articles/articlepage/{site_pages['articles'].pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = ArticlePage.objects.get(slug="stopping-baclofen-safely")
    assert [row.reference for row in article.numbered_references] == [listed, quoted]

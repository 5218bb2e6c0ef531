"""The public pages render, link together and fail politely."""

import pytest

from medicines.services import approve_and_publish
from tests.factories import make_product


@pytest.mark.django_db
def test_home_page_lists_classes_and_guides(client, medicine, drug_class):
    html = client.get("/").content.decode()
    assert drug_class.title in html
    assert 'href="/medicines/baclofen/"' in html
    assert 'role="search"' in html


@pytest.mark.django_db
def test_menu_shows_the_sections(client, medicine):
    html = client.get("/").content.decode()
    for title in ("Medicines A–Z", "Drug classes", "Articles"):
        assert title in html


@pytest.mark.django_db
def test_a_to_z_index_groups_guides_by_letter(client, medicine):
    html = client.get("/medicines/").content.decode()
    assert 'href="?letter=B" aria-current="page"' in html
    assert 'href="/medicines/baclofen/"' in html


@pytest.mark.django_db
def test_class_index_and_class_page_list_their_medicines(client, medicine, drug_class):
    html = client.get("/classes/").content.decode()
    assert drug_class.title in html and "1 guide" in html
    html = client.get(drug_class.url).content.decode()
    assert 'href="/medicines/baclofen/"' in html


@pytest.mark.django_db
def test_guide_page_shows_its_structured_parts(client, medicine, drug_class):
    make_product(medicine)
    html = client.get(medicine.url).content.decode()
    assert 'aria-label="Breadcrumb"' in html and f'href="{drug_class.url}"' in html
    assert "Brand names: Lioresal (UK), Ozobax" in html
    assert "Prescription only" in html
    assert "$0.51" in html and "per tablet" in html
    assert "Drowsiness" in html and "10–63%" in html and 'href="#ref-1"' in html
    assert 'id="ref-1"' in html and "https://doi.org/10.5555/" in html
    assert "Disclaimer." in html
    assert 'href="/tags/spasticity/"' in html
    assert "Medically reviewed by <strong>Alex Reed</strong> on" in html  # the builder's approving pharmacist
    assert 'id="comments"' in html


@pytest.mark.django_db
def test_guide_shows_reviewer_and_boxed_warning(client, medicine):
    from django.contrib.auth.models import Group

    from accounts.models import User

    reviewer = User.objects.create_user("rev@example.com", first_name="Sam", last_name="Rivera", credentials="PharmD")
    reviewer.groups.add(Group.objects.get(name="Pharmacists"))
    medicine.boxed_warning = "Hepatotoxicity, including fatal hepatitis."
    approve_and_publish(medicine, reviewer)
    html = client.get(medicine.url).content.decode()
    assert "Medically reviewed by <strong>Sam Rivera, PharmD</strong> on" in html
    assert "next review due" in html
    assert 'class="boxed-warning"' in html and "Hepatotoxicity" in html
    assert "rev@example.com" not in html


@pytest.mark.django_db
def test_a_tag_is_listed_once_and_its_page_lists_tagged_pages(client, medicine):
    medicine.tags.add("Spasticity", "spasticity")
    medicine.save_revision().publish()
    html = client.get(medicine.url).content.decode()
    assert html.count('href="/tags/spasticity/"') == 1
    html = client.get("/tags/spasticity/").content.decode()
    assert 'href="/medicines/baclofen/"' in html


@pytest.mark.django_db
def test_unknown_urls_get_the_friendly_404(client, site_pages):
    for url in ("/no-such-page/", "/medicines/no-such-medicine/", "/tags/no-such-tag/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "We couldn't find that page" in response.content.decode()


@pytest.mark.django_db
def test_draft_guides_are_not_served(client, medicine):
    medicine.unpublish()
    assert client.get(medicine.url).status_code == 404


@pytest.mark.django_db
def test_an_unexpected_error_shows_the_friendly_500_page(client, site_pages, monkeypatch):
    from home import services

    def broken(query, limit):
        raise RuntimeError("search backend down")

    monkeypatch.setattr(services, "best_page_ids", broken)
    client.raise_request_exception = False
    response = client.get("/search/", {"q": "baclofen"})
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_sitemap_lists_live_guides(client, medicine):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "/medicines/baclofen/" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["comments=99999999999999999999", "comments=-3", "comments=x", "letter=%00"])
def test_odd_query_strings_on_pages_never_fail(client, medicine, query):
    assert client.get(f"{medicine.url}?{query}").status_code == 200
    assert client.get(f"/medicines/?{query}").status_code == 200


@pytest.mark.django_db
def test_only_a_pharmacist_can_be_named_as_reviewer(medicine):
    from django.core.exceptions import ValidationError

    from accounts.models import User

    medicine.reviewed_by = User.objects.create_user("customer@example.com")
    with pytest.raises(ValidationError) as error:
        medicine.full_clean()
    assert "reviewed_by" in error.value.message_dict


@pytest.mark.django_db
def test_a_to_z_shows_one_letter_at_a_time(client, medicine, site_pages, drug_class):
    from tests.factories import make_medicine

    make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
    first = client.get("/medicines/").content.decode()
    assert 'href="?letter=T"' in first and "/medicines/tizanidine/" not in first
    t_page = client.get("/medicines/", {"letter": "t"}).content.decode()
    assert "/medicines/tizanidine/" in t_page and "/medicines/baclofen/" not in t_page


@pytest.mark.django_db
def test_build_site_moves_a_placeholder_site_to_site_url_and_leaves_an_operators_alone(settings):
    from wagtail.models import Site

    from home.services import build_site

    build_site()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80
    site.save()
    settings.SITE_URL = "https://pharmacy.example"
    build_site()
    site.refresh_from_db()
    assert site.root_url == "https://pharmacy.example"
    site.hostname = "shop.example"
    site.save()
    build_site()
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("shop.example", 443)

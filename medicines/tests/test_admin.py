"""The guide's admin form: citations must point at the guide's own references."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from medicines.models import FrequencyBand, MedicinePage
from tests.factories import make_reference


def guide_form_data(drug_class, listed, cited):
    empty = inline_formset([])
    return nested_form_data(
        {
            "title": "Tizanidine",
            "slug": "tizanidine",
            "generic_name": "tizanidine",
            "active_ingredients": "tizanidine",
            "drug_class": drug_class.pk,
            "legal_status": "prescription",
            "summary": "A medicine for spasticity.",
            "how_it_works": rich_text("It is an alpha-2 agonist."),
            "how_to_take": rich_text("As prescribed."),
            "warnings": rich_text("Taper slowly."),
            "indications": empty,
            "interactions": empty,
            "off_label_uses": empty,
            "studies": empty,
            "class_memberships": empty,
            "contraindications": empty,
            "urgent_signs": empty,
            "pharmacy_questions": empty,
            "see_also_links": empty,
            "side_effects": inline_formset(
                [
                    {
                        "effect": "Dry mouth",
                        "frequency": FrequencyBand.VERY_COMMON,
                        "percent_low": "",
                        "percent_high": "49",
                        "note": "",
                        "reference": cited.pk,
                    }
                ]
            ),
            "guide_references": inline_formset([{"reference": listed.pk}], min=1),
            "tags": "",
        }
    )


@pytest.mark.django_db
def test_a_reference_cited_in_a_row_and_missing_from_the_list_is_listed_on_save(admin_client, site_pages, drug_class):
    listed, cited = make_reference(title="Listed"), make_reference(title="Not listed")
    url = f"/admin/pages/add/medicines/medicinepage/{site_pages['medicines'].pk}/"
    response = admin_client.post(url, guide_form_data(drug_class, listed, cited))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = MedicinePage.objects.get(slug="tizanidine")
    assert [row.reference for row in page.numbered_references] == [listed, cited]
    draft = page.get_latest_revision_as_object()
    assert [row.reference for row in draft.numbered_references] == [listed, cited]


@pytest.mark.django_db
def test_a_guide_citing_its_own_references_is_saved_as_a_draft(admin_client, site_pages, drug_class):
    listed = make_reference(title="Listed")
    url = f"/admin/pages/add/medicines/medicinepage/{site_pages['medicines'].pk}/"
    data = guide_form_data(drug_class, listed, listed)
    question = {"question": "Have you taken it before?", "kind": "yes_no", "help_text": "For a pharmacy medicine."}
    data.update(nested_form_data({"pharmacy_questions": inline_formset([question])}))
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = MedicinePage.objects.get(slug="tizanidine")
    assert not page.live
    assert page.side_effects.get().reference == listed
    assert list(page.pharmacy_questions.values("question", "kind", "help_text")) == [question]


@pytest.mark.django_db
def test_product_listing_in_admin_searches_and_filters(admin_client, medicine):
    from tests.factories import make_product

    make_product(medicine, strength="10 mg")
    response = admin_client.get("/admin/snippets/catalogue/product/?form=tablet")
    assert response.status_code == 200
    assert "10 mg" in response.content.decode()


@pytest.mark.django_db
def test_products_are_found_by_medicine_name_in_admin(admin_client, medicine, site_pages, drug_class):
    from tests.factories import make_medicine, make_product

    make_product(medicine, strength="10 mg")
    other = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
    make_product(other, strength="4 mg")
    html = admin_client.get("/admin/snippets/catalogue/product/", {"q": "baclofen"}).content.decode()
    assert "Baclofen 10 mg tablet" in html
    assert "Tizanidine 4 mg" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["storage", "overdose", "usual_dose"])
def test_a_cited_text_whose_source_is_not_listed_gets_it_listed(admin_client, site_pages, drug_class, field):
    listed, unlisted = make_reference(title="Listed"), make_reference(title="The storage label")
    url = f"/admin/pages/add/medicines/medicinepage/{site_pages['medicines'].pk}/"
    data = guide_form_data(drug_class, listed, listed)
    data.update({field: "Store between 20 and 25 °C.", f"{field}_reference": str(unlisted.pk)})
    assert admin_client.post(url, data).status_code == 302
    page = MedicinePage.objects.get(slug="tizanidine")
    assert getattr(page, f"{field}_reference") == unlisted
    assert [row.reference for row in page.numbered_references] == [listed, unlisted]


@pytest.mark.django_db
def test_a_reference_cited_by_several_rows_is_listed_once_and_a_listed_one_is_not_repeated(
    admin_client, site_pages, drug_class
):
    listed, unlisted = make_reference(title="Listed"), make_reference(title="Another label")
    url = f"/admin/pages/add/medicines/medicinepage/{site_pages['medicines'].pk}/"
    data = guide_form_data(drug_class, listed, unlisted)
    rows = [
        {"who": "People taking fluvoxamine", "detail": "", "reference": unlisted.pk},
        {"who": "People taking ciprofloxacin", "detail": "", "reference": listed.pk},
    ]
    data.update(nested_form_data({"contraindications": inline_formset(rows)}))
    assert admin_client.post(url, data).status_code == 302
    page = MedicinePage.objects.get(slug="tizanidine")
    assert [row.reference for row in page.numbered_references] == [listed, unlisted]
    assert page.contraindications.count() == 2

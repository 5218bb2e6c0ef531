"""The medicine checker for patients (/medicines/checker/): the interactions between the medicines picked, found by
the same rule as the pharmacist's screening, each with severity, what to do and the guide row's source."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from medicines.interactions import interactions_between

pytestmark = pytest.mark.django_db

URL = "/medicines/checker/"


def guide(slug):
    from medicines.models import MedicinePage

    return MedicinePage.objects.get(slug=slug)


def test_the_checker_is_at_its_address():
    assert reverse("medicine_checker") == URL


def test_baclofen_and_cyclobenzaprine_show_the_cns_depressant_interaction_with_its_source(demo, client):
    baclofen, cyclobenzaprine = guide("baclofen"), guide("cyclobenzaprine")
    response = client.get(URL, {"m": [baclofen.pk, cyclobenzaprine.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    row = baclofen.interactions.get(screening_class__name="CNS depressants")
    reference = row.reference
    assert "Cyclobenzaprine is one of the CNS depressants" in html
    assert row.effect in html and row.get_severity_display() in html
    assert escape(f"{reference.short_label}: {reference.title}") in html
    if reference.link:
        assert f'href="{escape(reference.link)}"' in html
    # And the other way round: cyclobenzaprine's own row names baclofen's class, citing its own label.
    other = cyclobenzaprine.interactions.get(screening_class__name="CNS depressants")
    assert "Baclofen is one of the CNS depressants" in html
    assert escape(other.reference.title) in html
    assert "Our guides list no interaction" not in html


def test_the_checker_and_the_screening_share_one_rule(demo):
    baclofen, cyclobenzaprine, metformin = guide("baclofen"), guide("cyclobenzaprine"), guide("metformin")
    matches = interactions_between([baclofen, cyclobenzaprine, metformin])
    pairs = {(match.medicine.slug, match.other.slug, match.row.substance) for match in matches}
    assert ("baclofen", "cyclobenzaprine", "Other central nervous system depressants") in pairs
    assert ("cyclobenzaprine", "baclofen", "Alcohol and other central nervous system depressants") in pairs
    assert not any("metformin" in (owner, other) for owner, other, _ in pairs)
    # Most severe first.
    order = ["contraindicated", "major", "moderate", "minor"]
    severities = [order.index(match.row.severity) for match in matches]
    assert severities == sorted(severities)


def test_one_medicine_or_none_checks_nothing_and_says_so(demo, client):
    baclofen = guide("baclofen")
    html = client.get(URL, {"m": [baclofen.pk]}).content.decode()
    assert "Pick at least one more medicine" in html
    assert f'name="m" value="{baclofen.pk}" checked' in html
    html = client.get(URL).content.decode()
    assert "Pick your medicines" in html and "Interactions between" not in html


def test_no_listed_interaction_is_not_called_safe(demo, client):
    response = client.get(URL, {"m": [guide("baclofen").pk, guide("metformin").pk]})
    assert "Our guides list no interaction between these medicines. That does not mean there is none" in (
        response.content.decode()
    )


def test_the_filter_works_without_javascript_and_keeps_the_picks(demo, client):
    baclofen = guide("baclofen")
    html = client.get(URL, {"m": [baclofen.pk], "q": "flexeril"}).content.decode()
    assert f'value="{guide("cyclobenzaprine").pk}"> Cyclobenzaprine' in html  # found by its brand
    assert "Tizanidine" not in html
    assert f'name="m" value="{baclofen.pk}" checked' in html


def test_nonsense_is_ignored_not_an_error(demo, client):
    response = client.get(URL, {"m": ["x", "-1", "99999999999999999999", "0"], "q": "<script>" + "a" * 500})
    assert response.status_code == 200
    assert "<script>a" not in response.content.decode()


def test_a_draft_guide_cannot_be_picked(demo, client):
    baclofen, cyclobenzaprine = guide("baclofen"), guide("cyclobenzaprine")
    cyclobenzaprine.unpublish()
    html = client.get(URL, {"m": [baclofen.pk, cyclobenzaprine.pk]}).content.decode()
    assert "Cyclobenzaprine is one of" not in html and "Pick at least one more medicine" in html


def test_the_guides_and_the_a_to_z_link_to_the_checker(demo, client):
    baclofen = guide("baclofen")
    assert f'href="{URL}?m={baclofen.pk}"' in client.get(baclofen.url).content.decode()
    assert f'href="{URL}"' in client.get("/medicines/").content.decode()

"""Search that forgives, on the demo site: misspellings, conditions, suggestions while typing, the 404 page.

Every test here uses the module's demo site (``demo``); tests with their own small guides are in test_search.py.
"""

import re

import pytest

from home import search

pytestmark = pytest.mark.django_db


def result_titles(response) -> list[str]:
    return re.findall(r'<li class="result">\s*<h2><a href="[^"]*">([^<]*)</a>', response.content.decode())


@pytest.mark.parametrize(
    ("typed", "guide", "word"),
    [
        ("baclofn", "Baclofen", "baclofen"),
        ("tizanadine", "Tizanidine", "tizanidine"),
        ("metformn", "Metformin", "metformin"),
        ("lipitr", "Atorvastatin", "lipitor"),  # Lipitor is atorvastatin's brand
    ],
)
def test_a_misspelt_name_shows_the_right_guide_and_says_what_it_searched(client, demo, typed, guide, word):
    response = client.get("/search/", {"q": typed})
    page = response.content.decode()
    assert result_titles(response)[0] == guide
    assert f"Showing results for <strong>{word}</strong>" in page
    assert f"Nothing matched “{typed}”" in page


def test_a_word_too_far_to_be_sure_of_is_offered_as_did_you_mean(client, demo):
    correction = search.correct("bclfn")
    assert correction is not None and correction.text == "baclofen" and not correction.confident
    page = client.get("/search/", {"q": "bclfn"}).content.decode()
    assert 'Did you mean <a class="search-suggestion" href="/search/?q=baclofen">baclofen</a>?' in page
    assert '<li class="result">' not in page


def test_nothing_near_is_nothing_matched_without_a_suggestion(client, demo):
    page = client.get("/search/", {"q": "xyzzyq"}).content.decode()
    assert "Nothing matched “xyzzyq”" in page
    assert "Did you mean" not in page


@pytest.mark.parametrize("typed", ["high cholesterol", "High Cholestrol"])
def test_a_medicine_used_for_the_condition_ranks_above_those_that_mention_a_word_of_it(client, demo, typed):
    titles = result_titles(client.get("/search/", {"q": typed}))
    assert titles[0] == "Atorvastatin"
    if typed == "High Cholestrol":
        # No page has both words: the pages with any of them, the guide used for the condition named first.
        assert len(titles) > 1


def test_pages_with_every_word_come_alone_and_any_word_only_when_none_has_every_one(client, demo):
    assert result_titles(client.get("/search/", {"q": "high cholesterol"})) == ["Atorvastatin"]
    either = result_titles(client.get("/search/", {"q": "baclofen atorvastatin"}))
    assert {"Baclofen", "Atorvastatin"} <= set(either)


def test_condition_boosts_count_the_share_of_the_query_a_condition_names(demo):
    atorvastatin = search.results_for(search.rank("atorvastatin"))[0]
    assert search.condition_boosts("high cholesterol")[atorvastatin.pk] == 1.0
    assert atorvastatin.pk not in search.condition_boosts("high fever")


def test_results_show_the_price_from_and_the_legal_status(client, demo):
    page = client.get("/search/", {"q": "atorvastatin"}).content.decode()
    first = page[page.index('<li class="result">') :]
    first = first[: first.index("</li>")]
    assert '<span class="badge badge--rx">Rx</span> Prescription only' in first
    assert re.search(r"from <strong>\$\d+\.\d\d</strong> per tablet", first)


def test_suggestions_while_typing(client, demo):
    response = client.get("/search/suggest/", {"q": "bac"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    suggestions = response.json()["suggestions"]
    assert suggestions[0] == {"label": "Baclofen", "url": "/medicines/baclofen/", "kind": "medicine", "detail": ""}
    assert len(suggestions) <= search.MAX_SUGGESTIONS
    # A brand leads to its guide; a near miss from five letters is offered too.
    lip = client.get("/search/suggest/", {"q": "lip"}).json()["suggestions"]
    assert {"label": "Lipitor", "url": "/medicines/atorvastatin/", "kind": "brand", "detail": "Atorvastatin"} in lip
    tizana = client.get("/search/suggest/", {"q": "tizana"}).json()["suggestions"]
    assert "/medicines/tizanidine/" in [s["url"] for s in tizana]


def test_suggestions_are_at_most_eight(client, demo):
    assert len(search.suggestions("a")) == search.MAX_SUGGESTIONS


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "b" * 101}])
def test_suggestions_refuse_a_missing_or_overlong_q_as_json(client, demo, params):
    response = client.get("/search/suggest/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_a_mistyped_guide_address_is_a_404_offering_the_closest_guide(client, demo):
    response = client.get("/medicines/baclofn/")
    assert response.status_code == 404
    assert 'Did you mean <a href="/medicines/baclofen/">Baclofen</a>?' in response.content.decode()
    unrelated = client.get("/medicines/qqqqqq/")
    assert unrelated.status_code == 404
    assert "Did you mean" not in unrelated.content.decode()


def test_a_misspelt_name_with_a_number_is_corrected_not_answered_by_the_number(client, demo):
    """No page has both "baclofn" and "10": the fallback to any word leaves the bare number out, so nothing matches
    and the name is corrected, instead of listing every page that says 10."""
    response = client.get("/search/", {"q": "baclofn 10"})
    assert "Showing results for <strong>baclofen 10</strong>" in response.content.decode()
    assert result_titles(response)

"""The patient's health details in their account: an explicit allergy answer, a date of birth that makes sense,
current medicines; saving stamps when they were given; "not answered" never reads as "no known allergies"."""

from __future__ import annotations

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def profile(**fields):
    return {"full_name": "Robin Patient", "date_of_birth": "1980-02-29", "current_medicines": "", **fields}


def test_no_known_allergies_is_an_explicit_answer(client):
    user = make_user()
    client.force_login(user)
    assert "Not answered yet" in client.get("/account/").content.decode()
    response = client.post(
        "/account/profile/", profile(allergy_answer="none", allergies="", current_medicines="metformin, aspirin")
    )
    assert response.status_code == 303
    user.refresh_from_db()
    assert user.allergy_answer == "none" and user.allergies_answered and user.health_details_updated_at
    assert user.current_medicine_list == ["metformin", "aspirin"]
    html = client.get("/account/").content.decode()
    assert "No known allergies" in html and "metformin, aspirin" in html and "Not answered yet" not in html


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"allergy_answer": "listed", "allergies": " "}, "List your allergies, or choose “No known allergies”."),
        ({"allergy_answer": "none", "allergies": "latex"}, "You chose “No known allergies” but listed some"),
        ({"date_of_birth": "1890-01-01"}, "Check the date of birth: it is more than 120 years ago."),
    ],
)
def test_health_answers_that_do_not_make_sense_are_refused(client, fields, error):
    user = make_user()
    client.force_login(user)
    response = client.post("/account/profile/", profile(**fields))
    assert response.status_code == 400 and error in response.content.decode()
    user.refresh_from_db()
    assert user.allergy_answer == "" and user.health_details_updated_at is None


def test_changing_only_the_name_does_not_stamp_the_health_details(client):
    user = make_user()
    client.force_login(user)
    response = client.post("/account/profile/", {"full_name": "Robin Renamed"})
    assert response.status_code == 303
    user.refresh_from_db()
    assert user.get_full_name() == "Robin Renamed" and user.health_details_updated_at is None

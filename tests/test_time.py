"""No test depends on today's date.

CI runs the SQLite pass of the whole suite as if it were 2028-01-01 (``APOTHECARY_TEST_NOW`` in ``.ci/run``; the
autouse fixture ``_test_now`` in conftest.py). The tests here check that the moving of time reaches what the site
reads, and that date-bound rules read the clock rather than a date written into the code or the data.
"""

import os
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db

NEW_YEAR_2028 = datetime(2028, 1, 1, 9, 0, tzinfo=UTC)


def test_the_clock_is_the_moment_asked_for():
    asked = os.environ.get("APOTHECARY_TEST_NOW", "").strip()
    now = timezone.now()
    if asked:
        assert abs(now - datetime.fromisoformat(asked)) < timedelta(hours=1)
    with time_machine.travel(NEW_YEAR_2028, tick=False):
        assert timezone.now() == NEW_YEAR_2028
        assert timezone.localdate() == date(2028, 1, 1)


def test_on_new_year_2028_a_guide_is_reviewed_and_its_next_review_falls_after(site_pages, drug_class):
    from medicines.services import approve_and_publish
    from tests.factories import make_medicine, make_pharmacist

    with time_machine.travel(NEW_YEAR_2028, tick=True):
        guide = make_medicine(site_pages["medicines"], drug_class, title="Tizanidine")
        approve_and_publish(guide, make_pharmacist())
        assert guide.last_reviewed == date(2028, 1, 1)
        assert guide.next_review_due > date(2028, 1, 1)

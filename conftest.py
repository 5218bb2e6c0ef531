"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture
def site_pages(db):
    """The site's page tree (home, medicines, classes, articles), as ``build_site`` makes it."""
    from home.services import build_site

    return build_site()


@pytest.fixture
def drug_class(site_pages):
    from tests.factories import make_drug_class

    return make_drug_class(site_pages["classes"])


@pytest.fixture
def medicine(site_pages, drug_class):
    from tests.factories import FrequencyBand, make_medicine

    return make_medicine(
        site_pages["medicines"],
        drug_class,
        brand_names="Lioresal (UK), Ozobax",
        side_effects=[("Drowsiness", FrequencyBand.VERY_COMMON, 10, 63)],
        tags=["spasticity", "muscle relaxant"],
    )

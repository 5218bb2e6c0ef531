"""Fixtures of the content audit's tests: a guide and an article built with verified references and read back
as the audit reads them."""

import pytest

from evidence.tests.audit.helpers import verified
from medicines.models import MedicinePage
from tests.factories import FrequencyBand, make_article, make_medicine


@pytest.fixture
def build_guide(site_pages, drug_class):
    """Builds a guide whose only reference is verified, then reads it back as the audit would."""

    def build(
        title="Baclofen",
        *,
        references=None,
        side_effects=(("Drowsiness", FrequencyBand.VERY_COMMON, 10, 63),),
        **fields,
    ):
        references = references if references is not None else [verified()]
        page = make_medicine(
            site_pages["medicines"], drug_class, title, references=references, side_effects=side_effects, **fields
        )
        return MedicinePage.objects.get(pk=page.pk)

    return build


@pytest.fixture
def build_article(site_pages):
    def build(body, *, references=None, **fields):
        references = references if references is not None else [verified()]
        page = make_article(site_pages["articles"], body=body, references=references, **fields)
        return type(page).objects.get(pk=page.pk)

    return build

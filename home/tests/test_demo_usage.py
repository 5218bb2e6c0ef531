"""The demo's objects appear in the admin's "Usage" (Wagtail's reference index), written once when loading ends."""

import pytest
from wagtail.models import ReferenceIndex

pytestmark = pytest.mark.django_db


def test_a_reference_the_baclofen_guide_cites_shows_the_guide_among_its_usage(demo):
    from medicines.models import MedicinePage

    guide = MedicinePage.objects.get(slug="baclofen")
    cited = guide.guide_references.first().reference
    usage = ReferenceIndex.get_references_to(cited).group_by_source_object()
    assert guide.pk in {source.pk for source, _references in usage}

#!/usr/bin/env python3
"""Stand-in for `manage.py load_demo` while it does not exist: the page tree and one Baclofen guide.

bench/run.py runs it only when load_demo is missing, so the benchmark still has pages to fetch.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    import django

    django.setup()
    from django.db import transaction

    from home.services import build_site
    from medicines.models import MedicinePage
    from tests.factories import FrequencyBand, make_drug_class, make_medicine, make_product

    with transaction.atomic():
        pages = build_site()
        if MedicinePage.objects.filter(slug="baclofen").exists():
            return
        drug_class = make_drug_class(pages["classes"], title="Skeletal muscle relaxants")
        medicine = make_medicine(
            pages["medicines"],
            drug_class,
            brand_names="Lioresal (UK), Ozobax",
            summary="Baclofen relaxes muscles and eases spasticity.",
            side_effects=[("Drowsiness", FrequencyBand.VERY_COMMON, 10, 63)],
            tags=["spasticity", "muscle relaxant"],
        )
        make_product(medicine, packs=((28, "9.80", 10), (84, "24.50", 5)))
        make_product(medicine, strength="25 mg", packs=((28, "14.20", 3),))


if __name__ == "__main__":
    main()

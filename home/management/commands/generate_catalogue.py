"""``manage.py generate_catalogue``: a big synthetic site on top of the demo, to measure the site at scale."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.demo.bigsite import FULL, GenerationError, Sizes, generate, parse_scale


class Command(BaseCommand):
    help = (
        "Generate a big synthetic site on top of the demo (run load_demo first): by default 5,000 guides, 20,000 "
        "products with packs, 50,000 articles, 500,000 comments and 20,000 orders. Runs once per database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", default="1", help="A share of the full size (0.01), 'small' (a tiny site) or 'full'."
        )
        for name in FULL:
            parser.add_argument(f"--{name}", type=int, help=f"How many {name} (default: {FULL[name]:,} × scale).")
        parser.add_argument("--seed", type=int, default=1, help="The random seed (the same seed, the same site).")
        parser.add_argument(
            "--allow-production", action="store_true", help="Generate even with DEBUG off (a throwaway database)."
        )

    def handle(self, *args, scale, seed, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: this looks like a production site, and the generator fills it with synthetic "
                "content. Use --allow-production only on a throwaway database."
            )
        try:
            sizes = Sizes.scaled(parse_scale(scale), **{name: options[name] for name in FULL})
            timings = generate(sizes, write=self.stdout.write, seed=seed)
        except GenerationError as error:
            raise CommandError(str(error)) from None
        total = sum(timings.values())
        self.stdout.write(
            f"Generated {sizes.summary()} in {total:.0f} s ("
            + ", ".join(f"{kind} {seconds:.0f} s" for kind, seconds in timings.items())
            + ")."
        )

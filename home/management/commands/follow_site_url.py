"""``manage.py follow_site_url``: the default Wagtail site moves to ``settings.SITE_URL`` (run by `make run`)."""

from django.core.management.base import BaseCommand

from home.services import follow_site_url


class Command(BaseCommand):
    help = "Set the default site's hostname and port from SITE_URL, so links, the sitemap and the feed name it."

    def handle(self, *args, **options):
        root_url, moved = follow_site_url()
        self.stdout.write(f"Site address: {root_url}" + (" (moved to SITE_URL)" if moved else ""))

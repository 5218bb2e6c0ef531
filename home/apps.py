from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from apothecary.core import freshness, pagecache
        from home import (
            checks,  # noqa: F401 (registers the deployment checks)
            frontcache,
        )

        # Every save or deletion in the public apps gives the site a new content version (the page cache's key)...
        freshness.watch()
        # ...and purges what the front cache holds.
        freshness.content_version_changed.connect(frontcache.purge_on_change, dispatch_uid="home-purge-front-cache")
        pagecache.page_sent_to_front_cache.connect(frontcache.remember_sent, dispatch_uid="home-front-cache-sent")

from django.core.cache import cache
from wagtail.models import Site
from wagtail.search.index import insert_or_update_object
from wagtail.signals import page_published, page_unpublished

from home.context_processors import MENU_CACHE_KEY


def clear_menu_cache(**kwargs):
    cache.delete_many([f"{MENU_CACHE_KEY}:{site_id}" for site_id in Site.objects.values_list("pk", flat=True)])


def reindex_published_page(instance, **kwargs):
    """Index a page again once its child rows (tags, indications…) are saved.

    The search index is updated when the page row is saved, which is before
    modelcluster writes its child relations; on publishing everything is saved.
    """
    insert_or_update_object(instance.specific)


page_published.connect(clear_menu_cache, dispatch_uid="home-clear-menu-on-publish")
page_unpublished.connect(clear_menu_cache, dispatch_uid="home-clear-menu-on-unpublish")
page_published.connect(reindex_published_page, dispatch_uid="home-reindex-on-publish")

from wagtail import hooks
from wagtail.search.index import insert_or_update_object
from wagtail.signals import page_published, page_unpublished, post_page_move

from apothecary.core.identity import PharmacyIdentity
from home.models import PharmacySettings, default_site_identity
from home.search import clear_vocabulary
from seo.site import SITE_NAME_HOOK


@hooks.register(SITE_NAME_HOOK)
def pharmacy_name(request) -> str:
    """The pharmacy's name (its settings) as the publisher of the site's pages, feed and structured data."""
    return PharmacySettings.for_request(request).pharmacy_name


@hooks.register("pharmacy_identity")
def pharmacy_identity() -> PharmacyIdentity:
    """The legal identity in the default site's settings, for the layers below that print it (e-mails, labels)."""
    return default_site_identity()


def reindex_published_page(instance, **kwargs):
    """Index a page again once its child rows (tags, indications…) are saved.

    The search index is updated when the page row is saved, which is before
    modelcluster writes its child relations; on publishing everything is saved.
    """
    insert_or_update_object(instance.specific)


page_published.connect(reindex_published_page, dispatch_uid="home-reindex-on-publish")
# Search's vocabulary (home.search) names the live guides, classes and tags, at their addresses.
page_published.connect(clear_vocabulary, dispatch_uid="home-clear-search-vocabulary-on-publish")
page_unpublished.connect(clear_vocabulary, dispatch_uid="home-clear-search-vocabulary-on-unpublish")
post_page_move.connect(clear_vocabulary, dispatch_uid="home-clear-search-vocabulary-on-move")

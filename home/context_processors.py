from django.core.cache import cache
from wagtail.models import Page, Site

MENU_CACHE_KEY = "site-navigation"


def site_navigation(request):
    """The main menu: the home page's children marked "show in menus", cached."""
    site = Site.find_for_request(request)
    if site is None:
        return {"site_menu": []}
    key = f"{MENU_CACHE_KEY}:{site.pk}"
    menu = cache.get(key)
    if menu is None:
        pages = Page.objects.live().in_menu().child_of(site.root_page).order_by("path")
        menu = [(page.title, page.url) for page in pages]
        cache.set(key, menu, 300)
    return {"site_menu": menu}

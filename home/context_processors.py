from django.core.cache import cache
from wagtail.models import Page, Site

MENU_CACHE_KEY = "site-navigation"


def site_navigation(request):
    """The main menu: the home page's children marked "show in menus", cached."""
    menu = cache.get(MENU_CACHE_KEY)
    if menu is None:
        site = Site.find_for_request(request)
        menu = []
        if site is not None:
            pages = Page.objects.live().in_menu().child_of(site.root_page).order_by("path")
            menu = [(page.title, page.url) for page in pages]
        cache.set(MENU_CACHE_KEY, menu, 300)
    return {"site_menu": menu}

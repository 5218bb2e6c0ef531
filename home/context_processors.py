from wagtail.models import Page, Site

from apothecary.core.freshness import remember

MENU_CACHE_KEY = "site-navigation"


def site_navigation(request):
    """The main menu: the home page's children marked "show in menus", cached until the content changes."""
    site = Site.find_for_request(request)
    if site is None:
        return {"site_menu": []}

    def menu():
        pages = Page.objects.live().in_menu().child_of(site.root_page).order_by("path")
        return [(page.title, page.url) for page in pages]

    return {"site_menu": remember(f"{MENU_CACHE_KEY}:{site.pk}", menu)}

from wagtail import hooks
from wagtail.admin.viewsets.pages import PageViewSet

from apothecary.core.admin import CreateOnceView
from articles.models import ArticlePage


@hooks.register("register_admin_viewset")
def register_article_pages_viewset():
    """A new article saved twice in a moment (the autosave, then "Save draft") is created once."""
    return PageViewSet("article_pages", model=ArticlePage, add_view_class=CreateOnceView)

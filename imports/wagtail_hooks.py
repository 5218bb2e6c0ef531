"""Imports in the Wagtail admin: "Import an article" (in the main menu, for those who may add articles)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from imports.admin_views import ImportArticleView, may_import
from imports.articles import IMPORT_ACTION


class ImportArticleMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_import(request.user)


@hooks.register("register_admin_urls")
def register_import_article_url():
    return [path("articles/import/", ImportArticleView.as_view(), name="articles_import")]


@hooks.register("register_admin_menu_item")
def register_import_article_menu_item():
    return ImportArticleMenuItem(
        "Import an article", reverse("articles_import"), name="import-article", icon_name="download", order=250
    )


@hooks.register("register_log_actions")
def register_import_log_action(actions):
    @actions.register_action(IMPORT_ACTION)
    class ImportFormatter(LogFormatter):
        label = "Import article"

        def format_message(self, log_entry):
            return f"Imported as a draft from {log_entry.data.get('source', 'a legacy article')}"

"""The admin's "Import an article" screen: a legacy post, uploaded or fetched, becomes a draft article."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from apothecary.core.text import plural
from imports import articles as importing
from imports.forms import ImportArticleForm

logger = logging.getLogger(__name__)


def may_import(user) -> bool:
    """Whether ``user`` may add pages under the article index (and so import an article into it)."""
    try:
        index = importing.article_index()
    except importing.ImportFailed:
        return False
    return index.permissions_for_user(user).can_add_subpage()


class ImportArticleView(WagtailAdminTemplateMixin, FormView):
    """Upload a file or give an address; on success, the new draft's edit screen with the audit's counts."""

    form_class = ImportArticleForm
    template_name = "imports/admin/import_article.html"
    page_title = "Import an article"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(index=importing.article_index(), **kwargs)

    def form_valid(self, form):
        try:
            source, parent = form.source(), importing.article_index()
            result = importing.import_source(
                source, parent=parent, user=self.request.user, verify=form.cleaned_data["verify"]
            )
        except importing.ImportFailed as error:
            form.add_error(None, f"{error} Nothing was imported.")
            return self.form_invalid(form)
        except Exception:  # a bug must not show a 500: the form comes back with a message, the error is logged
            logger.exception("Importing an article failed")
            form.add_error(None, "The import failed unexpectedly; the error has been logged for the site's team.")
            return self.form_invalid(form)
        logger.info("User %s imported %s as draft article %s", self.request.user.pk, result.origin, result.page.pk)
        messages.success(
            self.request,
            f"Imported “{result.page.title}” as a draft (not published). Content audit: "
            f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}. "
            "Fix the errors before publishing.",
        )
        notes = importing.warnings(result)
        if notes:
            messages.warning(
                self.request,
                format_html(
                    "What the import left out or could not find: <ul>{}</ul>",
                    format_html_join("", "<li>{}</li>", ((note,) for note in notes)),
                ),
            )
        return redirect(reverse("wagtailadmin_pages:edit", args=[result.page.pk]))

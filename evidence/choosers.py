"""The reference chooser: a table an editor can tell references apart in (authors, year, title, journal or site,
DOI or PMID, verification), searched in every one of those columns, with a "Create a reference" tab so a source
missing from the library is added without leaving the guide."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

# The fields an editor fills in for a new reference (the verification is written by the check, never typed).
REFERENCE_FORM_FIELDS = [
    "kind",
    "authors",
    "title",
    "container",
    "year",
    "volume",
    "pages",
    "doi",
    "pmid",
    "url",
    "accessed",
]


class ReferenceSearchForm(BaseFilterForm):
    q = forms.CharField(
        label="Search by author, title, journal or site, year, DOI or PMID",
        widget=forms.TextInput(attrs={"placeholder": "Author, title, journal, year, DOI or PMID"}),
        required=False,
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.matching(query)
        return objects


class ReferenceColumnsMixin:
    """The chooser's table: the title (what tells two labels of one site apart) links to the choice; then the
    authors, year, journal or site, identifiers and what verification found."""

    filter_form_class = ReferenceSearchForm

    @property
    def title_column(self):
        column = super().title_column
        column.accessor = "title"
        return column

    @property
    def columns(self):
        return super().columns + [
            Column("authors", label="Authors"),
            Column("year", label="Year"),
            Column("container", label="Journal or site"),
            Column("identifier", label="DOI / PMID"),
            Column("status", label="Verification", accessor="get_verification_status_display"),
        ]


class ReferenceChooseView(ReferenceColumnsMixin, ChooseView):
    pass


class ReferenceChooseResultsView(ReferenceColumnsMixin, ChooseResultsView):
    pass


class ReferenceChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ReferenceChooseView
    choose_results_view_class = ReferenceChooseResultsView
    form_fields = REFERENCE_FORM_FIELDS
    create_action_label = "Create a reference"
    creation_tab_label = "Create a reference"
    choose_one_text = "Choose a reference"

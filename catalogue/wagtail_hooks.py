"""The catalogue in the Wagtail admin: "Products" (with their packs, prices and stock), and its CSV import and export.

The CSV screens (``catalogue.views``) hang under the Products listing, whose header shows "Import CSV" and
"Export CSV" to users who may change products.
"""

from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from catalogue import csv_io, views
from catalogue.models import Pack, Product
from catalogue.money import format_money


class PacksColumn(Column):
    """Each pack as "30 tablets · $15.30 · 12 in stock"."""

    def get_value(self, instance):
        return "; ".join(
            f"{pack.size_label} · {format_money(pack.price)} · {pack.stock} in stock" for pack in instance.packs.all()
        )


class ProductIndexView(IndexView):
    """The products listing, with "Import CSV" and "Export CSV" for users who may change products."""

    import_url_name = None
    export_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.user_has_permission("change"):
            buttons += [
                HeaderButton("Import CSV", url=reverse(self.import_url_name), icon_name="upload", priority=1010),
                HeaderButton("Export CSV", url=reverse(self.export_url_name), icon_name="download", priority=1020),
            ]
        return buttons


class ProductViewSet(SnippetViewSet):
    """Products with their packs, prices and stock, searchable and filterable; imported and exported as CSV."""

    model = Product
    icon = "tag"
    menu_label = "Products"
    menu_order = 200
    add_to_admin_menu = True
    index_view_class = ProductIndexView
    list_display = [
        "__str__",
        Column("medicine", label="Medicine", sort_key="medicine__title"),
        Column("get_form_display", label="Form"),
        "strength",
        PacksColumn("packs", label="Packs, prices and stock"),
        BooleanColumn("active"),
    ]
    list_filter = ["form", "active", "medicine"]
    ordering = ["medicine__title", "form", "strength"]
    list_per_page = 50

    def get_queryset(self, request):
        return Product.objects.select_related("medicine").prefetch_related(
            Prefetch("packs", queryset=Pack.objects.order_by("units"))
        )

    def get_csv_view_kwargs(self) -> dict[str, str]:
        return {
            "import_url_name": self.get_url_name("import_csv"),
            "apply_url_name": self.get_url_name("apply_csv"),
            "export_url_name": self.get_url_name("export_csv"),
        }

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(**self.get_csv_view_kwargs(), **kwargs)

    def get_urlpatterns(self):
        csv_kwargs = self.get_csv_view_kwargs()
        return super().get_urlpatterns() + [
            path("import-csv/", self.construct_view(views.ImportView, **csv_kwargs), name="import_csv"),
            path("import-csv/apply/", self.construct_view(views.ApplyView, **csv_kwargs), name="apply_csv"),
            path("export-csv/", self.construct_view(views.ExportView, **csv_kwargs), name="export_csv"),
        ]


register_snippet(ProductViewSet)


@hooks.register("register_log_actions")
def register_catalogue_log_actions(actions):
    actions.register_action(csv_io.LOG_ACTION, "Import CSV", "Changed by a CSV import")

from django.db.models import Prefetch
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from catalogue.models import Pack, Product
from catalogue.money import format_money


class PacksColumn(Column):
    """Each pack as "30 tablets · $15.30 · 12 in stock"."""

    def get_value(self, instance):
        return "; ".join(
            f"{pack.size_label} · {format_money(pack.price)} · {pack.stock} in stock" for pack in instance.packs.all()
        )


class ProductViewSet(SnippetViewSet):
    """Products with their packs, prices and stock, searchable and filterable."""

    model = Product
    icon = "tag"
    menu_label = "Products"
    menu_order = 200
    add_to_admin_menu = True
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


register_snippet(ProductViewSet)

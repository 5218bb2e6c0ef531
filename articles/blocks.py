"""The blocks an article body is written in."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", "Section heading"), ("h3", "Sub-heading")], default="h2")

    class Meta:
        icon = "title"
        template = "articles/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    """A quotation with its source. The source may be left empty while drafting (an imported quote may name only
    a journal), but the content audit reports a quote without one as an error."""

    quote = blocks.TextBlock()
    reference = SnippetChooserBlock(
        "evidence.Reference",
        required=False,
        help_text=(
            "The source the quote comes from. Without one, the content audit reports the quote as an error, so "
            "choose it before publishing."
        ),
    )
    attribution = blocks.CharBlock(
        max_length=255,
        required=False,
        help_text=(
            "Who the quote is credited to, as shown under it (e.g. “Alcohol and Alcoholism”). Optional; it does not "
            "replace the source above."
        ),
    )

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", "Good to know"), ("warning", "Warning"), ("tip", "Pharmacist's tip")], default="info"
    )
    title = blocks.CharBlock(max_length=120, required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        template = "articles/blocks/callout.html"


class ProductBoxBlock(blocks.StructBlock):
    """The price box of a medicine, as on its guide."""

    medicine = blocks.PageChooserBlock(page_type="medicines.MedicinePage")

    class Meta:
        icon = "tag"
        template = "articles/blocks/product_box.html"


# Wagtail's table editor sizes itself to the window on every "resize" event unless given a width, and each table
# fires one when the page loads: with n tables, n² re-layouts (a page imported with 60 tables took minutes to open).
# Given a width (null: the width of its panel), no table listens, and the page opens in seconds.
TABLE_OPTIONS = {"width": None}


class TableWithCaptionBlock(blocks.StructBlock):
    caption = blocks.CharBlock(max_length=200)
    table = TableBlock(table_options=TABLE_OPTIONS)
    reference = SnippetChooserBlock("evidence.Reference", required=False, help_text="Where the figures come from.")

    class Meta:
        icon = "table"
        template = "articles/blocks/table.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    table = TableWithCaptionBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    product_box = ProductBoxBlock()

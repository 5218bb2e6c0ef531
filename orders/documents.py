"""Printable documents of an order, as PDF (fpdf2): a dispensing label per dispensed line and the packing slip.

They print in the TrueType font ``settings.DOCUMENT_FONT`` (DejaVu Sans on Debian: Latin, Greek, Cyrillic and
more), or without that file in fpdf2's built-in Helvetica (Windows-1252 only). A character the font cannot print is
printed as its unaccented letter when it has one, else as "?" (``printable``); the document is never refused for
it.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from fpdf import FPDF

from apothecary.core.identity import PharmacyIdentity, pharmacy_identity
from orders.models import Order, OrderLine, OrderStatus

ENCODING = "windows-1252"
CHILDREN_WARNING = "Keep out of the reach and sight of children."
LABEL_SIZE = (148, 105)  # A6 landscape, in mm


def document_fonts() -> tuple[Path, Path] | None:
    """The TrueType font (regular, bold) the documents print in, or None for the built-in Helvetica."""
    regular = Path(settings.DOCUMENT_FONT)
    if not regular.is_file():
        return None
    bold = regular.with_name(f"{regular.stem}-Bold{regular.suffix}")
    return regular, bold if bold.is_file() else regular


def printable(text: str, can_print=None) -> str:
    """``text`` with every character the font cannot print replaced (by its base letter, or "?"). ``can_print``
    tells whether the font has a character; by default, whether it is in the built-in fonts' Windows-1252."""
    can_print = can_print or _in_windows_1252
    out = []
    for char in str(text or ""):
        if can_print(char):
            out.append(char)
            continue
        base = "".join(part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part))
        out.append(base if base and all(can_print(part) for part in base) else "?")
    return "".join(out)


def _in_windows_1252(char: str) -> bool:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


class _Document(FPDF):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.set_auto_page_break(True, margin=6)
        fonts = document_fonts()
        if fonts is None:
            self.core_fonts_encoding = ENCODING
            self.font_name, self.printable = "helvetica", printable
        else:
            self.add_font("document", "", str(fonts[0]))
            self.add_font("document", "B", str(fonts[1]))
            cmap = self.fonts["document"].cmap
            self.font_name = "document"
            self.printable = lambda text: printable(text, lambda char: char.isspace() or ord(char) in cmap)

    def use_font(self, *, size: float, style: str = "") -> None:
        self.set_font(self.font_name, style=style, size=size)

    def write_line(self, text: str, *, size: float = 9, style: str = "", height: float = 4.5) -> None:
        self.use_font(style=style, size=size)
        self.multi_cell(0, height, self.printable(text), new_x="LMARGIN", new_y="NEXT")

    def write_fact(self, label: str, value: str, *, size: float = 9, height: float = 4.5) -> None:
        """ "Label: value", the label in bold, wrapping under itself."""
        self.use_font(style="B", size=size)
        self.multi_cell(
            0, height, f"**{self.printable(label)}:** {self.printable(value)}".replace("\n", " "), markdown=True,
            new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip

    def pharmacy_header(self, identity: PharmacyIdentity, *, size: float = 9) -> None:
        self.write_line(identity.legal_name or identity.name, size=size + 2, style="B", height=5)
        contact = ", ".join(identity.address_lines)
        if identity.phone:
            contact += f"{' · ' if contact else ''}Tel. {identity.phone}"
        if contact:
            self.write_line(contact, size=size - 1, height=4)


def _dispensed_on(order: Order) -> date:
    event = order.events.filter(to_status=OrderStatus.DISPENSED).order_by("created_at").first()
    return timezone.localdate(event.created_at) if event else timezone.localdate()


def _quantity(line: OrderLine) -> str:
    """ "2 packs × 30 tablets (60 tablets)"."""
    pack = line.pack
    units = pack.product.unit_name if line.units == 1 else pack.product.unit_name_plural
    packs = "pack" if line.quantity == 1 else "packs"
    return f"{line.quantity} {packs} × {pack.size_label} ({line.units} {units})"


def dispensed_lines(order: Order) -> list[OrderLine]:
    return list(order.lines.filter(removed=False).select_related("pack__product__medicine"))


def dispensing_labels(order: Order) -> bytes:
    """One label page per dispensed line: patient, medicine, strength and form, quantity, directions, batch and
    expiry, the pharmacy, the dispensing date, the order number and the warning to keep it from children."""
    identity = pharmacy_identity()
    dispensed_on = _dispensed_on(order)
    pdf = _Document(orientation="landscape", unit="mm", format=LABEL_SIZE)
    pdf.set_margins(6, 6, 6)
    pdf.set_title(pdf.printable(f"Dispensing labels, order {order.number}"))
    for line in dispensed_lines(order):
        product = line.pack.product
        pdf.add_page()
        pdf.pharmacy_header(identity)
        pdf.ln(1)
        pdf.write_line(order.full_name, size=12, style="B", height=6)
        pdf.write_line(product.name, size=11, style="B", height=5.5)
        pdf.write_fact("Strength and form", strength_form(line))
        pdf.write_fact("Quantity", _quantity(line))
        if line.directions:
            pdf.ln(1)
            pdf.write_line(line.directions, size=11, height=5.5)
        pdf.ln(1)
        expiry = _day(line.expiry_date) if line.expiry_date else "not recorded"
        pdf.write_fact("Batch", f"{line.batch_number or 'not recorded'}    Expiry: {expiry}")
        pdf.write_fact("Dispensed", f"{_day(dispensed_on)}    Order: {order.number}")
        pdf.ln(1)
        pdf.write_line(CHILDREN_WARNING, size=9, style="B")
    return bytes(pdf.output())


def strength_form(line: OrderLine) -> str:
    """As ordered: the line's strength with the product's form ("10 mg tablet")."""
    product = line.pack.product
    form = product.get_form_display().lower()
    return f"{line.strength or product.strength} {form}".strip()


def packing_slip(order: Order) -> bytes:
    """The packing slip: the pharmacy, the order number and date, the delivery address and what is in the parcel
    (items and quantities; no prices)."""
    identity = pharmacy_identity()
    pdf = _Document(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_title(pdf.printable(f"Packing slip, order {order.number}"))
    pdf.add_page()
    pdf.pharmacy_header(identity, size=10)
    pdf.ln(4)
    pdf.write_line(f"Packing slip: order {order.number}", size=16, style="B", height=8)
    pdf.write_fact("Placed", _day(timezone.localdate(order.created_at)), size=10, height=5)
    pdf.ln(2)
    pdf.write_line("Deliver to", size=10, style="B", height=5)
    for part in order.address_lines:
        pdf.write_line(part, size=10, height=5)
    if order.phone:
        pdf.write_line(f"Tel. {order.phone}", size=10, height=5)
    pdf.ln(4)
    with pdf.table(col_widths=(100, 40, 20, 20), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT")) as table:
        pdf.use_font(size=10)
        table.row(["Item", "SKU", "Packs", "Units"])
        for line in dispensed_lines(order):
            table.row(
                [pdf.printable(line.description), pdf.printable(line.sku or "-"), str(line.quantity), str(line.units)]
            )
    pdf.ln(6)
    contact = " · ".join(part for part in (identity.phone and f"Tel. {identity.phone}", identity.email) if part)
    if contact:
        pdf.write_line(f"Questions about your order? {contact}", size=9)
    return bytes(pdf.output())

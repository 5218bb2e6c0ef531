"""The catalogue as a CSV file: export it, and import prices, stock, packs and products from it.

The format (export writes exactly what import reads):

- UTF-8 text, with or without a byte-order mark (spreadsheets add one), comma-separated,
  quoted as RFC 4180 says. The first row is the header and must name exactly these
  columns, in any order (names are not case-sensitive)::

      medicine          the guide's slug, e.g. "baclofen"; the guide must exist (the CSV never creates guides)
      form              the dosage form's code: tablet, odt, er_tablet, capsule, er_capsule, oral_solution,
                        oral_suspension, granules (the form's name, e.g. "Capsule", is accepted too)
      strength          as on the label: "10 mg", "5 mg/5 mL"
      manufacturer      may be blank
      ndc_product_code  the NDC labeler-product part; may be blank
      rxnorm_code       the RxCUI of this form and strength; may be blank
      product_active    yes or no (true/false and 1/0 are accepted); inactive products are hidden from the site
      sku               the pack's own code, unique in the catalogue: the key of the row
      units             tablets, capsules, packets or mL in the pack: a whole number, 1 or more
      price             the pack's price in the pharmacy's currency, e.g. 9.50: more than 0, at most two
                        decimals, no currency sign or thousands separator
      stock             packs on the shelf: a whole number, 0 or more
      ndc               the NDC package code; may be blank

- One row per pack. Row 1 is the header, so the first pack is row 2, as a spreadsheet numbers them.
  Rows with every cell blank are skipped.
- A row whose SKU exists updates that pack (units, price, stock, NDC) and its product's columns.
  A new SKU creates a pack, and creates its product (guide + form + strength, with the guide's active
  ingredients) when there is none. A product with a new pack, or a pack whose units or NDC change, is not sold
  until a pharmacist approves it: an import applied by a pharmacist is that approval; any other import leaves
  the products waiting (Products → "Waiting for a pharmacist's approval").
  A pack never moves to another product, rows of one product must agree on the product's columns,
  and a SKU appears once in a file. Nothing is deleted: packs the file does not name stay as they are.
- Text cells beginning with ``=``, ``+``, ``-`` or ``@`` are exported behind an apostrophe, so that a
  spreadsheet does not run them as formulas; import removes that apostrophe.

``read(file)`` checks a file against the catalogue without writing anything and returns a ``Plan``:
the rows, every error (row, column, value, why) and the change each row makes. ``apply(plan)``
writes a plan in one transaction, or nothing at all if any row has an error.
"""

from catalogue.csv.columns import COLUMN_NOTES, COLUMNS, LOG_ACTION
from catalogue.csv.exporting import catalogue_rows, write
from catalogue.csv.plan import Change, ImportRefused, PackRow, Plan, RowError, describe_refusal
from catalogue.csv.reading import read
from catalogue.csv.writing import apply

__all__ = [
    "COLUMNS",
    "COLUMN_NOTES",
    "LOG_ACTION",
    "Change",
    "ImportRefused",
    "PackRow",
    "Plan",
    "RowError",
    "apply",
    "catalogue_rows",
    "describe_refusal",
    "read",
    "write",
]

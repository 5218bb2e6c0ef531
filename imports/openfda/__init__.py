"""Import U.S. drug labels from openFDA's ``/drug/label`` download files as draft guides and unpriced products.

A label record (one element of the file's ``results`` list) becomes:

- a **draft** medicine guide, keyed on the label's ``set_id`` (``MedicinePage.label_set_id``): names, indications
  (as its summary), dosage and administration, contraindications and warnings, boxed warning, pregnancy and
  lactation, mechanism of action, and the adverse reactions and interactions as the label words them (its
  structured rows need frequency bands and severities that label prose does not give, so they are left to an
  editor). The label itself is a ``Reference`` of kind LABEL in the guide's reference list. Nothing is published:
  a guide that is already live gets a new draft revision to review, and the site keeps showing the live one.
- **inactive products without packs**, one per form and strength found in the label, keyed on (guide, form,
  strength): a pharmacist adds packs and prices, then activates them. No pack or price is ever made up.

Importing the same version of a label again changes nothing (an editor's work on the draft is kept); a new version
updates the label's fields in a new revision, whose history keeps what was there before.

``labels`` reads the files and records, ``strengths`` the forms and strengths (the products), ``guides`` what a
label fills in a guide, and ``writing`` saves it all (``import_label``), one transaction per record.
"""

from imports.openfda.guides import NOT_IN_LABEL, guide_sections, legal_status_for, reference_title
from imports.openfda.labels import (
    Label,
    LabelBatch,
    LabelFileError,
    LabelSkipped,
    describe_record,
    parse_label,
    read_label_file,
)
from imports.openfda.strengths import FormMention, ProductSpec, forms_and_strengths, product_specs
from imports.openfda.writing import Destination, ImportSummary, Outcome, check_lengths, import_label

__all__ = [
    "NOT_IN_LABEL",
    "Destination",
    "FormMention",
    "ImportSummary",
    "Label",
    "LabelBatch",
    "LabelFileError",
    "LabelSkipped",
    "Outcome",
    "ProductSpec",
    "check_lengths",
    "describe_record",
    "forms_and_strengths",
    "guide_sections",
    "import_label",
    "legal_status_for",
    "parse_label",
    "product_specs",
    "read_label_file",
    "reference_title",
]

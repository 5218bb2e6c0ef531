"""Reading openFDA ``/drug/label`` files (a ``.json``, or a zip of them as downloaded) and each label record
in them (``parse_label``)."""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

LABEL_CONTAINER = "DailyMed (U.S. National Library of Medicine)"
DAILYMED_URL = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
NDC_PRODUCT = re.compile(r"^\d{4,5}-\d{3,4}$")


class LabelFileError(Exception):
    """A file that cannot be read as an openFDA drug label file; the message names the file."""


class LabelSkipped(Exception):
    """A label record that lacks what a guide needs (its set id, a generic name); the message says what."""


# ---------------------------------------------------------------------------
# Reading the files


@dataclass
class LabelBatch:
    """The records of one JSON document: a ``.json`` file, or one ``.json`` inside a ``.zip``."""

    name: str
    records: list


def read_label_file(path: str | Path) -> Iterator[LabelBatch]:
    """The label records in ``path``: an openFDA ``/drug/label`` JSON file, or a zip of them as downloaded
    (``drug-label-0001-of-0013.json.zip``). One document at a time, so a whole download never sits in memory.

    Raises ``LabelFileError`` naming the file when it is missing, not a zip, not JSON or has no ``results`` list.
    """
    path = Path(path)
    if not path.is_file():
        raise LabelFileError(f"{path}: no such file")
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                members = sorted(name for name in archive.namelist() if name.lower().endswith(".json"))
                if not members:
                    raise LabelFileError(f"{path}: the zip holds no .json file")
                for member in members:
                    name = f"{path.name} › {member}"
                    with archive.open(member) as stream:
                        yield LabelBatch(name, _results(stream, name))
        except (zipfile.BadZipFile, OSError) as exc:
            raise LabelFileError(f"{path}: not a readable zip file ({exc})") from exc
        return
    try:
        with path.open("rb") as stream:
            records = _results(stream, str(path))
    except OSError as exc:
        raise LabelFileError(f"{path}: cannot be read ({exc})") from exc
    yield LabelBatch(str(path), records)


def _results(stream, name: str) -> list:
    try:
        document = json.load(stream)
    except json.JSONDecodeError as exc:
        raise LabelFileError(f"{name}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except ValueError as exc:  # not UTF-8 text
        raise LabelFileError(f"{name}: not JSON ({exc})") from exc
    except RecursionError as exc:
        raise LabelFileError(f"{name}: nested too deeply to be an openFDA drug label file") from exc
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise LabelFileError(f"{name}: no “results” list, so not an openFDA drug label file")
    return document["results"]


def describe_record(raw, number: int) -> str:
    """How messages name a record: its place in the file, set id, document id and generic name, as far as known."""
    if not isinstance(raw, dict):
        return f"record {number}"
    openfda = raw.get("openfda") if isinstance(raw.get("openfda"), dict) else {}
    parts = [f"set_id {raw['set_id']}" if raw.get("set_id") else "no set_id"]
    if raw.get("id"):
        parts.append(f"id {raw['id']}")
    names = strings(openfda.get("generic_name")) or strings(openfda.get("substance_name"))
    if names:
        parts.append(names[0])
    return f"record {number} ({', '.join(parts)})"


# ---------------------------------------------------------------------------
# Reading one record


def strings(value) -> list[str]:
    """A label field as a list of non-empty strings with their whitespace tidied (openFDA gives lists)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [" ".join(str(item).split()) for item in value if isinstance(item, str | int) and str(item).strip()]


# The headings a section's text starts with, which the guide's own headings replace.
SECTION_HEADINGS = {
    "indications_and_usage": r"indications\s*(?:and|&)\s*usage|indications|uses",
    "purpose": r"purposes?",
    "dosage_and_administration": r"dosage\s*(?:and|&)\s*administration|directions",
    "mechanism_of_action": r"mechanism\s+of\s+action",
    "clinical_pharmacology": r"clinical\s+pharmacology",
    "boxed_warning": r"boxed\s+warning",
    "contraindications": r"contraindications",
    "warnings_and_cautions": r"warnings\s*(?:and|&)\s*precautions",
    "warnings": r"warnings",
    "precautions": r"precautions",
    "adverse_reactions": r"adverse\s+reactions",
    "drug_interactions": r"drug\s+interactions",
    "pregnancy": r"pregnancy",
    "pregnancy_or_breast_feeding": r"pregnancy\s+or\s+breast[\s-]*feeding",
    "lactation": r"lactation",
    "nursing_mothers": r"nursing\s+mothers",
    "controlled_substance": r"controlled\s+substance",
}


def _without_heading(text: str, key: str) -> str:
    """``"1 INDICATIONS AND USAGE Baclofen is…"`` → ``"Baclofen is…"``; "Pregnancy Category C" keeps its words."""
    heading = SECTION_HEADINGS.get(key)
    if not heading:
        return text
    pattern = rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:{heading})\s*:?\s+(?!category\b)"
    return re.sub(pattern, "", text, count=1, flags=re.IGNORECASE).strip()


@dataclass
class Label:
    """One label record, read: its identity, the ``openfda`` names and codes, and its text sections."""

    raw: dict
    set_id: str
    document_id: str
    version: str
    effective: date | None
    generic_name: str
    brand_names: list[str]
    substances: list[str]
    manufacturer: str
    product_types: list[str]
    routes: list[str]
    product_ndcs: list[str]
    rxcuis: list[str]
    pharm_class: str

    def section(self, *keys: str) -> list[str]:
        """The paragraphs of the first of ``keys`` the label has, without its heading."""
        for key in keys:
            paragraphs = [_without_heading(text, key) for text in strings(self.raw.get(key))]
            paragraphs = [text for text in paragraphs if text]
            if paragraphs:
                return paragraphs
        return []

    @property
    def version_label(self) -> str:
        """What ``MedicinePage.label_version`` records, to tell a new version of the label from the same one."""
        parts = [f"version {self.version}" if self.version else "", f"of {self.effective}" if self.effective else ""]
        text = " ".join(part for part in parts if part)
        return text or (f"document {self.document_id}" if self.document_id else "")

    @property
    def over_the_counter(self) -> bool:
        return any("OTC" in kind.upper() for kind in self.product_types)

    @property
    def url(self) -> str:
        return DAILYMED_URL.format(set_id=self.set_id)


def capitalised(name: str) -> str:
    """Labels shout ("BACLOFEN"); guides do not ("Baclofen")."""
    return name[:1].upper() + name[1:].lower() if name.isupper() else name


def parse_label(raw) -> Label:
    """The record read into a ``Label``. Raises ``LabelSkipped`` when it has no set id or no generic name."""
    if not isinstance(raw, dict):
        raise LabelSkipped("not a JSON object")
    openfda = raw.get("openfda") if isinstance(raw.get("openfda"), dict) else {}
    set_id = str(raw.get("set_id") or "").strip()
    if not set_id:
        raise LabelSkipped("no set_id")
    try:
        set_id = str(uuid.UUID(set_id))
    except ValueError:
        raise LabelSkipped(f"the set_id “{set_id[:60]}” is not a set id (a UUID)") from None
    substances = [name.lower() for name in strings(openfda.get("substance_name"))]
    generic_names = strings(openfda.get("generic_name"))
    generic = generic_names[0] if generic_names else ", ".join(substances)
    if not generic:
        raise LabelSkipped("no generic name (openfda.generic_name or openfda.substance_name)")
    brands = []
    for brand in strings(openfda.get("brand_name")):
        brand = capitalised(brand)
        if brand.lower() != generic.lower() and brand.lower() not in {b.lower() for b in brands}:
            brands.append(brand)
    effective_time = str(raw.get("effective_time") or "")
    try:
        effective = date(int(effective_time[:4]), int(effective_time[4:6]), int(effective_time[6:8]))
    except ValueError:
        effective = None
    classes = strings(openfda.get("pharm_class_epc"))
    return Label(
        raw=raw,
        set_id=set_id,
        document_id=str(raw.get("id") or ""),
        version=str(raw.get("version") or ""),
        effective=effective,
        generic_name=generic,
        brand_names=brands,
        substances=substances,
        manufacturer=(strings(openfda.get("manufacturer_name")) or [""])[0],
        product_types=strings(openfda.get("product_type")),
        routes=[route.upper() for route in strings(openfda.get("route"))],
        product_ndcs=[ndc for ndc in strings(openfda.get("product_ndc")) if NDC_PRODUCT.match(ndc)],
        rxcuis=[code for code in strings(openfda.get("rxcui")) if code.isdigit()],
        pharm_class=re.sub(r"\s*\[EPC\]\s*$", "", classes[0]) if classes else "",
    )

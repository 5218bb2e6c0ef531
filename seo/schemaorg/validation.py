"""Checks a JSON-LD document against the schema.org definitions kept in ``schema.json``.

What is checked, for every node however deeply nested:

- its ``@type`` is one ``schema.json`` describes;
- every property is one schema.org defines for that type (its own or inherited);
- every value has one of the property's expected types: a nested node of that type or a subtype,
  a reference (``{"@id": ...}``) to such a node elsewhere in the graph, or a literal of the right kind
  (text, URL, ISO date, number...). As schema.org's data model allows, a URL may stand for a Thing;
- a value of an enumeration (availability, prescription status...) is one of its members' URLs
  (``https://schema.org/InStock``; not ``http://``, not a bare name).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("schema.json")
CONTEXT = "https://schema.org"
DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Number", "Integer", "Boolean"}
URL_PATTERN = re.compile(r"^https?://\S+$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SCHEMA_ORG_URL = re.compile(r"^https?://(www\.)?schema\.org/")


@cache
def load_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value


LITERAL_CHECKS = {
    "Text": lambda value: isinstance(value, str) and bool(value.strip()),
    "URL": lambda value: isinstance(value, str) and bool(URL_PATTERN.match(value)),
    "Date": lambda value: isinstance(value, str) and bool(DATE_PATTERN.match(value)),
    "DateTime": lambda value: isinstance(value, str) and _is_datetime(value),
    "Number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "Integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "Boolean": lambda value: isinstance(value, bool),
}


class Checker:
    """Walks one document and collects what breaks schema.org's definitions."""

    def __init__(self, document: dict):
        self.schema = load_schema()
        self.document = document
        self.nodes = document["@graph"] if "@graph" in document else [document]
        self.by_id = {node["@id"]: node for node in self.nodes if isinstance(node, dict) and "@id" in node}
        self.problems: list[str] = []

    def run(self) -> list[str]:
        if self.document.get("@context") != CONTEXT:
            self.problems.append(f"@context is {self.document.get('@context')!r}, not {CONTEXT!r}")
        for index, node in enumerate(self.nodes):
            self.check_node(node, f"@graph[{index}]")
        return self.problems

    def is_a(self, type_name, expected: list[str]) -> bool:
        described = self.schema["types"].get(type_name)
        if described is None:
            return False
        return type_name in expected or any(ancestor in expected for ancestor in described["ancestors"])

    def check_node(self, node, path: str) -> None:
        if not isinstance(node, dict):
            self.problems.append(f"{path}: a node must be an object, not {node!r}")
            return
        type_name = node.get("@type")
        described = self.schema["types"].get(type_name)
        if described is None:
            self.problems.append(f"{path}: @type {type_name!r} is not described in schema.json")
            return
        allowed = set(described["properties"])
        for key, value in node.items():
            if key.startswith("@"):
                if key not in ("@context", "@id", "@type"):
                    self.problems.append(f"{path}: unexpected keyword {key}")
                continue
            where = f"{path}.{key}"
            if key not in allowed:
                self.problems.append(f"{where}: schema.org defines no property {key!r} for {type_name}")
                continue
            expected = self.schema["ranges"].get(key)
            if expected is None:
                self.problems.append(f"{where}: schema.json records no expected types for {key!r}")
                continue
            values = value if isinstance(value, list) else [value]
            if not values:
                self.problems.append(f"{where}: empty list")
            for number, item in enumerate(values):
                self.check_value(item, expected, where if len(values) == 1 else f"{where}[{number}]")

    def check_value(self, value, expected: list[str], path: str) -> None:
        if isinstance(value, dict):
            if set(value) == {"@id"}:
                target = self.by_id.get(value["@id"])
                if target is None:
                    self.problems.append(f"{path}: refers to {value['@id']!r}, which is not in the graph")
                elif not self.is_a(target.get("@type"), expected):
                    self.problems.append(f"{path}: refers to a {target.get('@type')}, expected one of {expected}")
                return
            if not self.is_a(value.get("@type"), expected):
                self.problems.append(f"{path}: a {value.get('@type')} where schema.org expects one of {expected}")
                return
            self.check_node(value, path)
            return
        enumerations = [name for name in expected if name in self.schema["enumerations"]]
        if isinstance(value, str) and SCHEMA_ORG_URL.match(value) and enumerations:
            if not any(value in self.schema["enumerations"][name] for name in enumerations):
                self.problems.append(f"{path}: {value!r} is not a member of {' or '.join(enumerations)}")
            return
        literal_types = [name for name in expected if name in DATA_TYPES]
        if any(LITERAL_CHECKS[name](value) for name in literal_types):
            return
        object_types = [name for name in expected if name not in DATA_TYPES and name not in enumerations]
        if object_types and LITERAL_CHECKS["URL"](value):
            return  # schema.org's data model: a URL may identify the thing expected
        self.problems.append(f"{path}: {value!r} is not one of {expected}")


def problems(document: dict) -> list[str]:
    """Everything in ``document`` that schema.org's definitions do not allow; empty when it is valid."""
    return Checker(document).run()

"""Reading a CSV file: its text, its header and its rows, checked against the format and the catalogue."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import IO

from apothecary.core.text import plural
from catalogue.csv.cells import parse_row
from catalogue.csv.checking import Catalogue, check_consistency, compare
from catalogue.csv.columns import COLUMNS, MAX_ROWS
from catalogue.csv.plan import PackRow, Plan, RowError


def read(file: IO[bytes] | IO[str] | bytes | str) -> Plan:
    """Check a CSV file (an open file, its bytes, or its text) against the catalogue. Writes nothing.

    Every problem is reported, not only the first; the changes are given for the rows without errors.
    """
    try:
        text = _decode(file)
    except UnicodeDecodeError as exc:
        return Plan(
            errors=[
                RowError(
                    None,
                    "",
                    "",
                    f"it is not UTF-8 text (byte {exc.start + 1} cannot be read). "
                    "Save it from the spreadsheet as “CSV UTF-8”.",
                )
            ]
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return Plan(errors=[RowError(None, "", "", f"line {line} holds a NUL character: this is not a CSV text file.")])
    rows, errors = _parse(text)
    errors += check_consistency(rows)
    snapshot = Catalogue.load(rows)
    db_errors, changes = compare(rows, snapshot)
    return Plan(rows=rows, errors=sorted(errors + db_errors, key=_error_order), changes=changes)


def _error_order(error: RowError) -> tuple[int, int]:
    return (-1 if error.row is None else error.row, COLUMNS.index(error.column) if error.column in COLUMNS else -1)


def _decode(file: IO[bytes] | IO[str] | bytes | str) -> str:
    data = file if isinstance(file, bytes | str) else file.read()
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return text.removeprefix("\ufeff")


def _parse(text: str) -> tuple[list[PackRow], list[RowError]]:
    """The file's valid rows, and the errors of the header and of the other rows."""
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[PackRow] = []
    errors: list[RowError] = []
    row_number = packs = 0
    try:
        header = next(records, None)
        row_number = 1
        if header is None or not any(cell.strip() for cell in header):
            message = "the file is empty; the first row must be the header: " + ", ".join(COLUMNS) + "."
            return [], [RowError(1, "", "", message)]
        columns = [name.strip().lower() for name in header]
        header_errors = _check_header(columns)
        if header_errors:
            return [], header_errors
        for row_number, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue
            packs += 1
            if packs > MAX_ROWS:
                errors.append(RowError(row_number, "", "", f"the file has more than {MAX_ROWS} packs; split it."))
                break
            if len(record) != len(columns):
                message = f"it has {plural(len(record), 'cell')}, the header has {len(columns)}"
                errors.append(RowError(row_number, "", "", message + "."))
                continue
            row, row_errors = parse_row(row_number, dict(zip(columns, record, strict=True)))
            errors.extend(row_errors)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        errors.append(RowError(row_number + 1, "", "", f"the CSV cannot be read here ({exc}); check its quotes."))
    if not rows and not errors:
        errors.append(RowError(None, "", "", "it has a header but no packs: nothing to import."))
    return rows, errors


def _check_header(columns: list[str]) -> list[RowError]:
    errors = []
    unknown = [name for name in columns if name not in COLUMNS]
    missing = [name for name in COLUMNS if name not in columns]
    repeated = sorted(name for name, count in Counter(columns).items() if count > 1 and name in COLUMNS)
    expected = "The columns are: " + ", ".join(COLUMNS) + "."
    if unknown:
        names = ", ".join(f"“{name}”" for name in unknown)
        errors.append(RowError(1, "", "", f"unknown column{'s' if len(unknown) > 1 else ''} {names}. {expected}"))
    if missing:
        errors.append(RowError(1, "", "", f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}."))
    if repeated:
        errors.append(RowError(1, "", "", f"column{'s' if len(repeated) > 1 else ''} {', '.join(repeated)} twice."))
    return errors

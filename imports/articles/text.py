"""Reading plain text into blocks (``parse_text``):

- The first line, when it stands alone, is the title. Blank lines separate blocks.
- A heading is a single short line (at most 100 characters, 16 words) that does not end with ".", ",", ";" or
  "!". "5. Side effects" (numbered) is a section heading; after the first numbered heading, unnumbered headings
  are its sub-headings, and before it a heading ending with ":" ("Advantages of Baclofen:") is a sub-heading.
- Lines starting with "•", "-", "*" or "–" are a bulleted list; lines starting "1." or "1)" a numbered one.
- Consecutive lines (no blank line between) whose first line is in Title Case ("Study Number of Participants
  Findings") are a table: that line is the header, each other line a row; a first line with ": " before such a
  header is the caption ("Survey Results: …"). Header columns start at capitalised words not preceded by
  "of", "and", "the"… ("Number of Participants" is one column). A row is cut into as many cells as the header
  has columns: a column whose header says it holds numbers ("Number…", "Percentage…") takes one number; any
  other cell ends after a citation marker ("[1]"), before a quotation (“Alcohol and Alcoholism”) or before a
  capitalised word that starts a sentence ("Baclofen reduces…"). When some row cannot fill every column,
  adjacent header words are merged ("Side Effect"), leading ones first; when no split fills every row, the
  lines are read as paragraphs instead.
- A line in “curly” or "straight" quotes followed by "– Source" is a quote credited to Source.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass

from imports.articles.boilerplate import REFERENCES_HEADING, STANDS_ALONE, recognise
from imports.articles.document import QUOTE_LINE, Block, Document, paragraph, squash

BULLET = re.compile(r"^[•\-*–·▪‣]\s+")
NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")
CONNECTORS = {"of", "and", "the", "in", "for", "&", "or", "to", "a", "an", "with", "on", "at", "by", "per", "vs", "vs."}
NUMBER_CELL = re.compile(r"^[<>≤≥~]?\d[\d,.]*\s*%?(?:[–-]\d[\d,.]*%?)?$")
NUMERIC_COLUMN = re.compile(r"\b(?:number|count|percentage|percent|rate|n|participants|patients|subjects)\b|%", re.I)
MARKER_END = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\][.,;]?$")
HEADING_MAX = 100


LEAD_IN = re.compile(r"\b(?:include|includes|including|following|follows|such as|are|is|to)\s*:$", re.I)


def _is_heading(line: str) -> bool:
    """A short line without final punctuation; a line ending with ":" is a heading unless it is a sentence leading
    into a list ("Common side effects include:", or more than 8 words)."""
    if line.endswith(":") and (LEAD_IN.search(line) or len(line.split()) > 8):
        return False
    return (
        len(line) <= HEADING_MAX
        and len(line.split()) <= 16
        and not line.endswith((".", ",", ";", "!"))
        and not BULLET.match(line)
        and bool(re.match(r"\w", line))
    )


def _is_title_case(line: str) -> bool:
    words = line.split()
    return len(words) >= 2 and all(word[0].isupper() or word[0].isdigit() or word in CONNECTORS for word in words)


def _header_groups(line: str) -> list[str]:
    groups: list[list[str]] = []
    previous = ""
    for word in line.split():
        if groups and (not word[0].isupper() or previous.lower() in CONNECTORS):
            groups[-1].append(word)
        else:
            groups.append([word])
        previous = word
    return [" ".join(group) for group in groups]


def _header_candidates(groups: list[str]):
    """The header's columns as split, then with adjacent groups merged, fewer columns each time."""
    for count in range(len(groups), 1, -1):
        for cuts in reversed(list(itertools.combinations(range(1, len(groups)), count - 1))):
            bounds = (0, *cuts, len(groups))
            yield [" ".join(groups[start:end]) for start, end in itertools.pairwise(bounds)]


def _lowercase(word: str) -> bool:
    return word[:1].isalpha() and word[:1].islower()


def _starts_sentence(tokens: list[str], index: int) -> bool:
    """A capitalised word followed by lowercase prose ("Baclofen reduces", "Patients with multiple"), not by a name
    ("Journal of Neurology")."""
    following = tokens[index + 1 : index + 3]
    if not tokens[index][:1].isupper() or not following or not _lowercase(following[0]):
        return False
    return following[0].lower() not in CONNECTORS or (len(following) == 2 and _lowercase(following[1]))


def _cell_end(tokens: list[str], start: int, next_is_number: bool) -> int | None:
    for index in range(start + 1, len(tokens)):
        if next_is_number:
            if NUMBER_CELL.match(tokens[index]):
                return index
            continue
        if MARKER_END.search(tokens[index - 1]) or tokens[index][:1] in '“"' or _starts_sentence(tokens, index):
            return index
    return None


def split_row(line: str, columns: list[str]) -> list[str]:
    """A table row cut into ``len(columns)`` cells (empty cells where it could not be cut)."""
    tokens = line.split()
    cells: list[str] = []
    position = 0
    for index, column in enumerate(columns[:-1]):
        if position >= len(tokens):
            cells.append("")
        elif NUMERIC_COLUMN.search(column):
            if NUMBER_CELL.match(tokens[position]):
                cells.append(tokens[position])
                position += 1
            else:
                cells.append("")
        else:
            end = _cell_end(tokens, position, bool(NUMERIC_COLUMN.search(columns[index + 1])))
            if end is None:
                cells.append("")
            else:
                cells.append(" ".join(tokens[position:end]))
                position = end
    cells.append(" ".join(tokens[position:]))
    return cells


def parse_table(lines: list[str]) -> Block | None:
    """A table from consecutive lines (caption?, header, rows), or None when they do not read as one."""
    caption = ""
    if len(lines) >= 3 and ": " in lines[0] and _is_title_case(lines[1]):
        caption, lines = lines[0], lines[1:]
    if len(lines) < 2 or len(lines[0]) > 80 or not _is_title_case(lines[0]):
        return None
    groups = _header_groups(lines[0])
    if len(groups) < 2:
        return None
    for columns in _header_candidates(groups):
        rows = [split_row(line, columns) for line in lines[1:]]
        if all(all(cells) for cells in rows):
            return Block("table", text=caption, rows=[columns, *rows])
    return None


def _list_block(lines: list[str]) -> list[Block]:
    """A chunk with bullets or numbers: its lead-in lines (if any) as a paragraph, then the list."""
    blocks: list[Block] = []
    lead: list[str] = []
    items: list[str] = []
    ordered = None
    for line in lines:
        marker = BULLET.match(line) or NUMBERED.match(line)
        if marker:
            if ordered is None:
                ordered = bool(NUMBERED.match(line))
            items.append(line[marker.end() :].strip())
        elif items:
            items[-1] += " " + line
        else:
            lead.append(line)
    if lead:
        blocks.append(paragraph(" ".join(lead)))
    blocks.append(Block("list", items=[html.escape(item, quote=False) for item in items], ordered=bool(ordered)))
    blocks[-1].text = "\n".join(items)
    return blocks


@dataclass
class _TextState:
    numbered_seen: bool = False
    in_references: bool = False


def _heading(line: str, state: _TextState) -> Block:
    if NUMBERED.match(line):
        state.numbered_seen = True
        level = 2
    elif state.numbered_seen or line.endswith(":"):
        level = 3
    else:
        level = 2
    return Block("heading", text=line.rstrip(":").strip(), level=level)


def _chunk_blocks(lines: list[str], state: _TextState) -> list[Block]:
    if any(BULLET.match(line) or NUMBERED.match(line) for line in lines) and not (
        len(lines) == 1 and NUMBERED.match(lines[0]) and _is_heading(lines[0]) and not state.in_references
    ):
        return _list_block(lines)
    if len(lines) == 1:
        line = lines[0]
        if not QUOTE_LINE.match(line) and _is_heading(line):
            return [_heading(line, state)]
        return [paragraph(line)]
    table = parse_table(lines)
    return [table] if table else [paragraph(" ".join(lines))]


def parse_text(text: str) -> Document:
    """The article in plain text (see the module's docstring for how blocks are told apart)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = squash(line.replace("\t", " "))
        if line and not STANDS_ALONE.match(line):
            current.append(line)
            continue
        if current:
            chunks.append(current)
            current = []
        if line:  # "See also …", "Tags: …", "Price: …": never part of a paragraph or table
            chunks.append([line])
    if current:
        chunks.append(current)
    document = Document()
    if chunks and len(chunks[0]) == 1 and not BULLET.match(chunks[0][0]):
        document.title = chunks.pop(0)[0]
    state = _TextState()
    for chunk in chunks:
        for block in _chunk_blocks(chunk, state):
            document.blocks.append(block)
            if block.kind == "heading":
                state.in_references = bool(REFERENCES_HEADING.match(block.text))
            elif block.kind != "list":
                state.in_references = False
    return recognise(document)

"""Reading a hotel's rooming list (CSV or XLSX) and matching its guest names to the group's participants.

Hotels send these in every shape: headers in any case and wording, title rows above the header, the room
number only on a room's first line, "SMITH/JOHN MR" or "Smith, John". Names are compared after folding
case, accents, punctuation, titles and word order; a small typo is forgiven only when one participant
clearly stands out (rapidfuzz ratio with a high threshold and a margin over the runner-up).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from rapidfuzz import fuzz

from domains.kernel.errors import Invalid, UnsupportedType

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 5000
MAX_COLUMNS = 50
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an XLSX is a zip: refuse zip bombs before openpyxl inflates them
FUZZY_THRESHOLD = 92.0  # forgives a dropped letter, but not 'Mario' for 'Maria' in a short name
FUZZY_MARGIN = 5.0
HEADER_SEARCH_ROWS = 15

HEADERS: dict[str, frozenset[str]] = {
    "room": frozenset(
        {"room", "room no", "room number", "room nr", "room num", "rm", "rm no", "room id", "zimmer", "chambre"}
    ),
    "room_type": frozenset(
        {"room type", "roomtype", "type", "category", "room category", "accommodation", "bed type", "bedding"}
    ),
    "guest": frozenset(
        {
            "guest", "guests", "guest name", "name", "names", "full name", "occupant", "occupant name",
            "passenger", "pax", "pax name", "traveler", "traveller", "participant", "participant name",
            "client", "client name", "guest full name",
        }
    ),
    "first_name": frozenset({"first name", "firstname", "given name", "given names", "forename"}),
    "last_name": frozenset({"last name", "lastname", "surname", "family name"}),
}  # fmt: skip
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mstr", "master", "dr", "prof", "mme", "mlle", "sig", "sra"})


@dataclass(frozen=True)
class GuestRow:
    line: int  # 1-based, as the spreadsheet shows it
    room: str
    room_type: str | None
    guest: str


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def normalize_name(name: str) -> str:
    """'  SMITH/JOHN MR ', 'Smith, John' and 'john  smíth' all become 'john smith'."""
    return " ".join(sorted(token for token in _fold(name).split() if token not in TITLES))


def detect_kind(content: bytes, filename: str | None = None) -> str:
    """'xlsx' or 'csv', from the bytes (a zip is an XLSX) and then the name; never from the client's claim."""
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if filename and filename.lower().endswith((".xls", ".xlsm", ".ods", ".numbers")):
        raise UnsupportedType("only CSV and XLSX rooming lists can be imported")
    if b"\x00" in content[:4096]:
        raise UnsupportedType("this file is neither CSV text nor an XLSX workbook")
    return "csv"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores room 101 as 101.0
    return " ".join(str(value).split())


def _csv_rows(content: bytes) -> list[list[str]]:
    # Excel on Windows still saves "CSV" as cp1252; latin-1 decodes anything, so it comes last.
    text = ""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.reader(io.StringIO(text), dialect)
        return [[_cell(value) for value in row[:MAX_COLUMNS]] for row in islice(reader, MAX_ROWS + HEADER_SEARCH_ROWS)]
    except csv.Error as exc:
        raise Invalid(f"the CSV file cannot be read: {exc}") from None


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise Invalid("the workbook is too large once unpacked")
    except zipfile.BadZipFile:
        raise Invalid("the XLSX file is damaged (not a valid workbook)") from None
    # Imported here so only imports pay for it; openpyxl ships no type hints (no stub package installed).
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.active if workbook.active is not None else workbook.worksheets[0]
            rows = sheet.iter_rows(max_row=MAX_ROWS + HEADER_SEARCH_ROWS, max_col=MAX_COLUMNS, values_only=True)
            return [[_cell(value) for value in row] for row in rows]
        finally:
            workbook.close()
    except Invalid:
        raise
    except Exception as exc:  # noqa: BLE001 - a third-party parser on untrusted bytes may raise anything
        raise Invalid(f"the XLSX file cannot be read: {type(exc).__name__}") from None


def _header_map(row: Sequence[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, title in enumerate(row):
        folded = _fold(title)
        for column, aliases in HEADERS.items():
            if folded in aliases and column not in found:
                found[column] = index
    has_guest = "guest" in found or ("first_name" in found and "last_name" in found)
    return found if "room" in found and has_guest else None


def _find_header(table: Sequence[Sequence[str]]) -> tuple[int, dict[str, int]]:
    """Hotels often put a title and a date above the header, so the first rows are searched."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns = _header_map(row)
        if columns is not None:
            return index, columns
    raise Invalid("no header row found: the file needs a room column and a guest (or first/last name) column")


def parse_rooming_file(content: bytes, kind: str) -> list[GuestRow]:
    """One GuestRow per guest line; a blank room cell continues the room above (merged-cell style)."""
    if not content.strip():
        raise Invalid("the file is empty")
    table = _xlsx_rows(content) if kind == "xlsx" else _csv_rows(content)
    header_index, columns = _find_header(table)
    if len(table) - header_index - 1 > MAX_ROWS:
        raise Invalid(f"the file has more than {MAX_ROWS} rows")

    def get(row: Sequence[str], column: str) -> str:
        index = columns.get(column)
        return row[index] if index is not None and index < len(row) else ""

    guests: list[GuestRow] = []
    room, room_type = "", None
    for line, row in enumerate(table[header_index + 1 :], start=header_index + 2):
        guest = get(row, "guest") or " ".join(filter(None, (get(row, "first_name"), get(row, "last_name"))))
        if get(row, "room"):
            room, room_type = get(row, "room")[:32], get(row, "room_type")[:32] or None
        elif get(row, "room_type"):
            room_type = get(row, "room_type")[:32]
        if not guest:
            continue
        if not room:
            raise Invalid(f"row {line}: {guest!r} has no room")
        guests.append(GuestRow(line=line, room=room, room_type=room_type, guest=guest[:200]))
    if not guests:
        raise Invalid("the file lists no guests under its header")
    return guests


@dataclass(frozen=True)
class NameMatch:
    """`participant` when one person fits; otherwise `candidates` holds those who fit equally well."""

    participant: uuid.UUID | None
    candidates: tuple[uuid.UUID, ...] = ()
    exact: bool = True

    @property
    def ambiguous(self) -> bool:
        return self.participant is None and bool(self.candidates)


def match_names(names: Iterable[str], people: Sequence[tuple[uuid.UUID, str]]) -> dict[str, NameMatch]:
    """Each name → the participant it means, the candidates when several fit, or nothing when nobody does."""
    by_key: dict[str, list[uuid.UUID]] = {}
    for person_id, person_name in people:
        by_key.setdefault(normalize_name(person_name), []).append(person_id)
    matched: dict[str, NameMatch] = {}
    for name in names:
        key = normalize_name(name)
        if not key:
            matched[name] = NameMatch(None)
            continue
        scored = sorted(((fuzz.ratio(key, other), other) for other in by_key), reverse=True)
        close = [other for score, other in scored if score >= FUZZY_THRESHOLD and scored[0][0] - score < FUZZY_MARGIN]
        if key in by_key:
            close = [key]  # an exact match beats any near one
        fitting = tuple(person for other in close for person in by_key[other])
        matched[name] = NameMatch(fitting[0], exact=key in by_key) if len(fitting) == 1 else NameMatch(None, fitting)
    return matched

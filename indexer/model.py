"""The contract between indexer/ and bot/: a parsed plan and its clause-level entries.

Field names are the JSON names of the command-line contract, so `dataclasses.asdict` is the serialiser.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Entry:
    """One citable unit of a plan: a numbered body clause or one row of a task table.

    `text` is verbatim (whitespace aside) because it is quoted back to citizens as the citation.
    `responsible` holds every unit name as written, lead first (`lead` and `support` split it); `roles` keeps the raw responsibility wording
    (牵头 / 配合 / sub-labels such as ``区总体预案:区应急局``) so an answer can show it.
    """

    id: str
    kind: str  # "clause" | "task"
    number: str  # "三.(二).4" for a clause, "23" for a table row
    section: str  # the headings above, joined with " > "
    text: str
    responsible: list[str] = field(default_factory=list)
    deadline: str | None = None
    due: str | None = None  # ISO date read from `deadline`, when one can be read
    heading: str = ""  # the clause's own short title (text before the first 。), if any
    roles: str | None = None  # responsibility text as written, e.g. "区市场监管局牵头、有关部门配合"
    linked: list[str] = field(default_factory=list)  # ids of entries restating the same task
    doc: str = ""  # document id (file stem)
    region: str | None = None
    year: int | None = None
    title: str | None = None
    lead: list[str] = field(default_factory=list)  # units that lead (牵头, or responsible with no role said)
    support: list[str] = field(default_factory=list)  # units that co-operate (配合 / 协助 / 参与)
    unit_source: str | None = None  # where `responsible` was read: "table" | "annotation" | "sentence"
    ocr: bool = False  # the text was recognised from a scanned page (may hold recognition errors)
    search_text: str | None = None  # `text` in simplified characters, when the plan is written in traditional

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Document:
    """A parsed plan: metadata read from the text (the file name only as a fallback) and its entries."""

    file: str
    doc_id: str
    title: str | None = None
    region: str | None = None
    year: int | None = None
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what looks wrong, one line each (see indexer.checks)
    ocr: bool = False  # some text was recognised from scanned pages
    division_code: str = ""  # GB/T 2260 code of the plan's division ("370103"); "" when none or several fit
    region_full: str = ""  # that division's full name ("山东省济南市市中区"); `region` stays the short name

    def to_json(self) -> dict[str, Any]:
        """The `python -m indexer parse --json` object for this file."""
        return {
            "file": self.file,
            "title": self.title,
            "region": self.region,
            "year": self.year,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "date": self.date,
            "entries": [
                {k: v for k, v in e.to_dict().items()}
                for e in self.entries
            ],
            "warnings": list(self.warnings),
            "ocr": self.ocr,
            "division_code": self.division_code,  # added last: earlier keys keep their places
            "region_full": self.region_full,
        }


class DocumentError(Exception):
    """A file that cannot be turned into a plan; the message is the one-line reason shown to users."""

"""The sizes a plan file may unpack to while it is read, checked BEFORE anything is materialised.

A 1 KB Word file can declare a cell spanning fifty million columns, a 5 KB workbook a cell at XFD3000,
a 1.5 MB archive a gigabyte of XML, a PDF a fifty-inch page: each would make the reader allocate
gigabytes. The readers ask this module first, from what the file declares (ZIP directory sizes, table
spans, sheet extents and merged ranges, page size × DPI), and a file over a limit is refused with
`LimitExceeded`, a DocumentError whose message names the limit ("…; the limit is 512 columns").

Time and memory cannot be checked this way: indexer/sandbox.py reads each uploaded file in a child
process with RLIMIT_AS and a deadline. `use(limits)` sets the limits of this process (the sandbox child
applies the ones it was given); every other caller reads with `DEFAULT`.
"""
from __future__ import annotations

import zipfile
from dataclasses import asdict, dataclass

from indexer.model import DocumentError

MB = 2**20
RATIO_CHECKED_FROM = MB  # small parts compress oddly well (empty styles); only big ones are a bomb


@dataclass(frozen=True)
class ReadLimits:
    """Per-file limits; the names are what a refusal names (and the keys of indexer/sandbox.py's JSON)."""

    zip_total_mb: int = 300  # all parts of a .docx / .xlsx unpacked together
    zip_member_mb: int = 100  # one part unpacked (a plan's document.xml is a few MB)
    zip_ratio: int = 200  # unpacked / packed size of one part over 1 MB (XML packs ~10:1)
    table_columns: int = 512  # Word allows 63 columns; plan task tables have under 20
    table_cells: int = 2_000_000  # rows × columns of one table or sheet, merged cells included
    render_megapixels: int = 60  # one page image for OCR (A4 at 300 dpi is 8.7, A3 17.4)

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> ReadLimits:
        return cls(**{k: int(v) for k, v in data.items() if k in cls.__dataclass_fields__})


class LimitExceeded(DocumentError):
    """A file over one of the limits; `limit` is its name (a ReadLimits field, or "seconds" / "memory_mb")."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit


DEFAULT = ReadLimits()
_current = DEFAULT


def use(limits: ReadLimits) -> None:
    """Read with `limits` in this process from now on (the sandbox child calls it once)."""
    global _current
    _current = limits


def current() -> ReadLimits:
    return _current


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose parts would unpack too large, from its directory (zipfile never inflates
    a part past the size its directory declares, so the declared sizes bound the real work)."""
    lim = _current
    total = 0
    for info in archive.infolist():
        size = info.file_size
        if size > lim.zip_member_mb * MB:
            raise LimitExceeded("zip_member_mb", f"a part of the file ({info.filename[:60]}) unpacks to "
                                f"{size // MB} MB; the limit is {lim.zip_member_mb} MB per part")
        if size > RATIO_CHECKED_FROM and size > lim.zip_ratio * max(1, info.compress_size):
            raise LimitExceeded("zip_ratio", f"a part of the file ({info.filename[:60]}) unpacks "
                                f"{size // max(1, info.compress_size)} times its packed size (a ZIP bomb?); "
                                f"the limit is {lim.zip_ratio} times")
        total += size
    if total > lim.zip_total_mb * MB:
        raise LimitExceeded("zip_total_mb", f"the file unpacks to {total // MB} MB; the limit is "
                            f"{lim.zip_total_mb} MB")


def check_table(rows: int, columns: int, what: str = "a table") -> None:
    """Refuse a table or sheet wider than `table_columns` or larger than `table_cells` before it is built."""
    lim = _current
    if columns > lim.table_columns:
        raise LimitExceeded("table_columns", f"{what} is {columns} columns wide; the limit is "
                            f"{lim.table_columns} columns")
    if rows * columns > lim.table_cells:
        raise LimitExceeded("table_cells", f"{what} has {rows} rows × {columns} columns = {rows * columns} cells; "
                            f"the limit is {lim.table_cells} cells")


def check_merged(cells: int, what: str = "a sheet") -> None:
    """Refuse merged ranges covering more than `table_cells` cells (a reader makes one object per cell)."""
    lim = _current
    if cells > lim.table_cells:
        raise LimitExceeded("table_cells", f"the merged ranges of {what} cover {cells} cells; the limit is "
                            f"{lim.table_cells} cells")


def check_render(width_pt: float, height_pt: float, dpi: int, page: int) -> None:
    """Refuse a page whose image at `dpi` would exceed `render_megapixels` (checked before rendering)."""
    lim = _current
    pixels = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
    if pixels > lim.render_megapixels * 1_000_000:
        raise LimitExceeded("render_megapixels", f"page {page} ({width_pt / 72:.0f} × {height_pt / 72:.0f} inches) "
                            f"would be a {pixels / 1e6:.0f}-megapixel image at {dpi} dpi for OCR; the limit is "
                            f"{lim.render_megapixels} megapixels")

"""Recover task tables that reached us flattened: the step between reading (indexer/read/) and line
cleaning (indexer/normalize.py), called by the document builder (indexer/entries.py).

A table copied from a web page often arrives as one long line ("序号 工作任务 具体要求 责任单位 完成时限 1 聚焦…
全年 2 主动公开…"), one line per row, or one cell per line, with its cells joined by single spaces or by
nothing; a Word-to-text export writes one TAB-led cell per line. Every shape comes out as TAB rows (header
first, empty cells where a cell is absent) that indexer/tables.py reads like any other table.

It works on the raw lines, before spaces between Chinese words (which here separate cells) are squashed.
Modules, one job each: lines.py finds tables among the lines, header.py reads their header, chain.py
splits rows at their 序号, peel.py peels one row into cells, headings.py finds task headings in rows whose
cells are joined by nothing, rows.py lays the cells out as TAB rows; unnumbered.py does tables without a
序号 column (主要任务分解表), finding rows by what their cells say.
"""
from __future__ import annotations

from indexer.flat_tables.lines import unflatten_tables
from indexer.flat_tables.rows import recover_rows
from indexer.flat_tables.stream import stream_tables
from indexer.flat_tables.unnumbered import unnumbered_tables


def cells_per_line_tables(lines: list[str]) -> list[str]:
    """Tables written one cell per line (each line starting with a TAB, rows split by blank lines) -> TAB rows.

    Word-to-text exports often look like this; a row is the run of TAB-led lines between blank lines.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t") and line.count("\t") == 1:
            group: list[str] = []
            j = i
            while j < len(lines) and lines[j].startswith("\t") and lines[j].count("\t") == 1:
                group.append(lines[j][1:].strip())
                j += 1
            if len(group) >= 3:
                out.append("\t".join(group))
                i = j
                continue
        out.append(line)
        i += 1
    return out


def recover_tables(lines: list[str]) -> list[str]:
    """The raw lines with every table written without TAB rows turned into TAB rows (text around kept)."""
    return unnumbered_tables(unflatten_tables(stream_tables(cells_per_line_tables(lines))))


__all__ = ["cells_per_line_tables", "recover_rows", "recover_tables", "stream_tables", "unflatten_tables",
           "unnumbered_tables"]

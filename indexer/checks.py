"""What looks wrong in a parsed plan, one line each: the warnings `python -m indexer parse|build` print.

A document read as one giant clause, with no region, division (GB/T 2260 code) or year, or with several
divisions possible, with no unit anywhere, recognised by OCR, or
carrying page chrome is indexed anyway, but whoever adds it must hear about it (`--strict` makes any
warning an error). Duplicates are a property of the whole plans folder: `duplicates` pairs them up for
indexer/store.py and the CLI. Used by indexer/entries.py.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.divisions import Division
from indexer.model import Document, Entry

LONG_CLAUSE = 1500  # characters: a clause this long most likely holds several the parser did not split
_SAME_PLAN = 0.8  # share of character pairs two plans' entries have in common to be the same plan (OCR errors aside)


def document_warnings(doc: Document, chrome: Sequence[str] = (), possible: Sequence[Division] = ()) -> list[str]:
    """The warnings of one document (file-name fallbacks are added where they are taken); `possible` are
    the divisions a plan may belong to when its texts leave several (indexer.metadata.division_of)."""
    out: list[str] = []
    long = [e for e in doc.entries if len(e.text) > LONG_CLAUSE]
    if long:
        shown = ", ".join(f"{e.number} ({len(e.text)} chars)" for e in long[:3])
        out.append(f"{len(long)} clause(s) over {LONG_CLAUSE} characters, not split: {shown}")
    out.extend(_field_warnings(doc))
    if doc.region is None:
        out.append("no region found in the title, issuer or file name")
    if not doc.division_code and len(possible) > 1:
        shown = "、".join(f"{d.full_name} {d.code}" for d in possible[:6])
        out.append(f"several divisions possible: {shown}" + (f" (+{len(possible) - 6})" if len(possible) > 6 else ""))
    elif not doc.division_code:
        out.append("no division found in the issuer, title, notice or file name "
                   "(a 新区 or 开发区 has no code of its own: name its city or county)")
    if doc.year is None:
        out.append("no year found in the title, notice, date or file name")
    if doc.entries and not any(e.responsible for e in doc.entries):
        out.append("no responsible units anywhere (no task table, note or sentence names one)")
    if doc.ocr:
        out.append("text recognised by OCR from scanned pages: check it against the original")
    if chrome:
        pieces = list(dict.fromkeys(chrome))
        shown = "、".join(p if len(p) <= 20 else p[:19] + "…" for p in pieces[:4])
        out.append(f"web page chrome removed ({len(chrome)} pieces): {shown}")
    return out


# A unit that holds a date, a deadline word, a label or a sentence piece was cut from the wrong place.
_BAD_UNIT = re.compile(r"\d{1,4}\s*[年月日]|年底|年末|全年|月底|时限|[。：:]|^(?:年|月|日|前|底)")


def _shown(entries: list[Entry]) -> str:
    return ", ".join(e.number for e in entries[:3]) + (f" (+{len(entries) - 3})" if len(entries) > 3 else "")


def _field_warnings(doc: Document) -> list[str]:
    """Units holding dates or fragments, deadlines holding units, entries that are only a note."""
    out: list[str] = []
    bad = [e for e in doc.entries if any(_BAD_UNIT.search(u) or len(u) > 40 for u in e.responsible)]
    if bad:
        units = next(u for u in bad[0].responsible if _BAD_UNIT.search(u) or len(u) > 40)
        out.append(f"{len(bad)} entr(ies) with units holding a date or a fragment: {_shown(bad)} ({units[:30]!r})")
    mixed = [e for e in doc.entries if e.deadline and re.search(r"单位|[局委办]、|牵头|负责", e.deadline)]
    if mixed:
        out.append(f"{len(mixed)} deadline(s) holding units: {_shown(mixed)} ({mixed[0].deadline!r})")
    notes = [e for e in doc.entries if _only_note(e.text)]
    if notes:
        out.append(f"{len(notes)} entr(ies) holding only a 责任单位/完成时限 note, cut from their clause: {_shown(notes)}")
    return out


def _only_note(text: str) -> bool:
    """Text that is a note alone ("（责任单位：区商务局）", "完成时限：全年）"): a piece cut from its clause."""
    from indexer.annotations import only_note

    bare = re.sub(r"\s+", "", text)
    return only_note(bare) or bool(re.fullmatch(r"[（(〔\[]?(?:责任单位|牵头单位|配合单位|完成时限|时限要求)[：:][^。]{0,80}[）)〕\]]?", bare))


def _fingerprint(doc: Document) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", "".join(e.search_text or e.text for e in doc.entries))
    return {text[i:i + 2] for i in range(len(text) - 1)}


def duplicates(docs: Sequence[Document]) -> list[tuple[int, int]]:
    """(kept, duplicate) index pairs: a later document that is the same plan as an earlier one (the same
    text in another format: txt and pdf), by the character pairs of their entries."""
    prints = [_fingerprint(d) for d in docs]
    pairs: list[tuple[int, int]] = []
    dropped: set[int] = set()
    for j in range(len(docs)):
        for i in range(j):
            if i in dropped or not prints[i] or not prints[j]:
                continue
            a, b = prints[i], prints[j]
            if len(a & b) / max(1, min(len(a), len(b))) >= _SAME_PLAN and _same_meta(docs[i], docs[j]):
                pairs.append((i, j))
                dropped.add(j)
                break
    return pairs


def _same_meta(a: Document, b: Document) -> bool:
    return (a.region, a.year) == (b.region, b.year) or None in (a.region, b.region)

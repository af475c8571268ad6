"""The scaled corpus: the shipped knowledge base copied under other region / year labels.

Neighbours: bench/run.py builds and times an index over it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any


def scaled_knowledge(kb: Any, n_entries: int) -> Any:
    """The knowledge base copied under other region / year labels until it holds `n_entries` entries.

    Copy k of 槐荫区 2022 is 槐荫{k}区 of 2022 + k % 4: a region the engine can tell apart (its name still
    ends in 区, as the region matching expects), ids made unique, `linked` ids pointing inside the copy.
    Strings are fresh objects, so the index is as large as a corpus of distinct entries would be.
    """
    from indexer.store import KnowledgeBase

    if not any(d.entries for d in kb.documents):
        raise ValueError("the knowledge base has no entries to copy")
    docs: list = []
    total, k = 0, 0
    while total < n_entries:
        for d in kb.documents:
            if total >= n_entries:
                break
            take = d.entries[: n_entries - total]
            if not take:
                continue
            if k == 0:
                docs.append(replace(d, entries=list(take)))
            else:
                docs.append(_copy_document(d, take, k))
            total += len(take)
        k += 1
    return KnowledgeBase(documents=docs, skipped=[], fingerprint=f"bench-scaled-{n_entries}")


def _fresh(s: str | None) -> str | None:
    return (s + " ")[:-1] if s else s


def _copy_document(d: Any, entries: Sequence[Any], k: int) -> Any:
    region = f"{d.region[:-1]}{k}{d.region[-1]}" if d.region and len(d.region) >= 2 else d.region
    shift = k % 4
    year = d.year + shift if d.year else d.year
    doc_id = f"{d.doc_id}@{k}"
    ids = {e.id: f"{e.id}@{k}" for e in d.entries}
    copies = [
        replace(e, id=ids[e.id], text=_fresh(e.text), section=_fresh(e.section), heading=_fresh(e.heading),
                responsible=[_fresh(u) for u in e.responsible], linked=[ids.get(i, i) for i in e.linked],
                due=_shift_date(e.due, shift), doc=doc_id, region=region, year=year)
        for e in entries
    ]
    return replace(d, doc_id=doc_id, region=region, year=year, entries=copies)


def _shift_date(iso: str | None, years: int) -> str | None:
    if not iso or not years or not iso[:4].isdigit():
        return iso
    return f"{int(iso[:4]) + years}{iso[4:]}"

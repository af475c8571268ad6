"""Hand-read facts of real published plans, checked against what the indexer makes of each file.

A fact file (tests/indexer/real/facts_*.jsonl, tests/indexer/office_written/facts.jsonl) holds, per document,
one `division` line (province / city / county as read) and `item` lines: an `anchor` (a verbatim piece of the
clause or row), its `units` (order aside), its `deadline`, and `uncertain` when the reader was unsure. A fact
comes through when the document parses, the shortest entry holding the anchor exists, its units equal the
gold ones and its deadline equals the gold one (whitespace aside; traditional characters compared
simplified). Used by tests/indexer/test_real_plans.py; `python -m tests.indexer.real_facts` prints figures.
"""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from indexer import parse_file
from indexer.hanzi import simplify
from indexer.model import Document, DocumentError, Entry
from indexer.normalize import without_glosses

REAL = Path(__file__).parent / "real"


def squash(text: str | None) -> str:
    """Compared as read: spaces, traditional forms and pinyin glosses of mirror pages ("發(fā)") aside."""
    return simplify(without_glosses(re.sub(r"\s+", "", text or "")))


@dataclass
class Outcome:
    """One fact and whether it came through (`why` says what went wrong)."""

    file: str
    kind: str
    anchor: str
    uncertain: bool
    ok: bool
    why: str = ""


@dataclass
class Score:
    outcomes: list[Outcome] = field(default_factory=list)

    def share(self, *, uncertain: bool | None = False, kind: str | None = None) -> tuple[int, int]:
        """(passed, total) over facts that are (un)certain (None: all), of one kind (None: both)."""
        picked = [o for o in self.outcomes
                  if (uncertain is None or o.uncertain == uncertain) and (kind is None or o.kind == kind)]
        return sum(o.ok for o in picked), len(picked)

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def load_facts(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _entry_with(doc: Document, anchor: str) -> Entry | None:
    """The shortest entry whose text holds the anchor (the most specific clause or row)."""
    key = squash(anchor)
    holding = [e for e in doc.entries if key in squash(e.text)]
    return min(holding, key=lambda e: len(e.text)) if holding else None


def _check_item(doc: Document, fact: dict) -> tuple[bool, str]:
    e = _entry_with(doc, fact["anchor"])
    if e is None:
        return False, "no entry holds the anchor"
    got = sorted(squash(u) for u in e.responsible)
    want = sorted(squash(u) for u in fact.get("units") or [])
    problems = []
    if got != want:
        problems.append(f"units {e.responsible} != {fact.get('units')}")
    if squash(e.deadline) != squash(fact.get("deadline")):
        problems.append(f"deadline {e.deadline!r} != {fact.get('deadline')!r}")
    return not problems, "; ".join(problems)


def _check_division(doc: Document, fact: dict) -> tuple[bool, str]:
    names = [n for n in (fact.get("province"), fact.get("city"), fact.get("county")) if n]
    full = doc.region_full
    if all(n in full for n in names) and full.endswith(names[-1]):
        return True, ""
    return False, f"region_full {full!r} != {''.join(names)!r}"


@cache
def parsed(path: Path) -> Document | str:
    try:
        return parse_file(path)
    except DocumentError as exc:
        return str(exc)


def score(facts: Iterable[dict], folder: Path, keep: Callable[[str], bool] = lambda _: True) -> Score:
    out = Score()
    for fact in facts:
        if not keep(fact["file"]):
            continue
        doc = parsed(folder / fact["file"])
        kind = fact["kind"]
        anchor = fact.get("anchor", "")
        uncertain = bool(fact.get("uncertain"))
        if isinstance(doc, str):
            out.outcomes.append(Outcome(fact["file"], kind, anchor, uncertain, False, f"not parsed: {doc}"))
            continue
        ok, why = _check_division(doc, fact) if kind == "division" else _check_item(doc, fact)
        out.outcomes.append(Outcome(fact["file"], kind, anchor, uncertain, ok, why))
    return out


def real_score(share: str) -> Score:
    """Any share by its prefix: "a" (developed on), "b" (held out), "c", … (facts_<share>.jsonl)."""
    return score(load_facts(REAL / f"facts_{share}.jsonl"), REAL / "docs")


def _line(name: str, s: Score) -> str:
    parts = []
    for label, unc, kind in (("certain", False, None), ("uncertain", True, None), ("items", False, "item"),
                             ("divisions", None, "division")):
        ok, n = s.share(uncertain=unc, kind=kind)
        parts.append(f"{label} {ok}/{n} ({ok / max(1, n):.0%})")
    return f"{name}: " + ", ".join(parts)


def main(argv: list[str]) -> None:
    shares = argv or ["a"]
    for share in shares:
        if not (REAL / f"facts_{share}.jsonl").is_file():
            print(f"{share}: no facts_{share}.jsonl")
            continue
        s = real_score(share)
        print(_line(share, s))
        if "-v" in sys.argv:
            for o in s.failures():
                print(f"  {o.file[:28]:28} {'?' if o.uncertain else ' '} {o.anchor[:20]:20} {o.why}")


if __name__ == "__main__":
    main([a for a in sys.argv[1:] if not a.startswith("-")])

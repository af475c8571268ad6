#!/usr/bin/env python3
"""Check the hand-written development sets dev_conversations_c.jsonl, dev_english_c.jsonl and dev_citizen_c.jsonl.

Standard library only.  Run from anywhere:

    python tests/bot/data/check_dev_c.py [--seeds DIR]

For every gold item (a single question, a conversation turn, and each of their `alt` options) it checks:

* required fields are present and typed; `kind` is who|when|what|none; ids are unique across the three files;
* answerable items name an existing seed file in `doc` (and `also_docs`), a region and a year;
* every anchor is 10-25 characters once whitespace is removed and occurs in the named seed (whitespace-insensitive);
* who items carry units, each of which occurs in the seed; when items carry a deadline that occurs in the seed;
* none items carry no doc, anchors, units or deadline;
* conversation turns carry a `move` from the agreed list, and the first turn of each conversation is `new`;
* `style` values match the file (english / citizen; first / followup in conversations).

Seeds are looked up in --seeds, else ../shared/seeds relative to the project root, else /work/shared/seeds.
Exit status 0 when clean, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]  # tests/bot/data -> project root
WS = re.compile(r"\s+")
KINDS = {"who", "when", "what", "none"}
MOVES = {"new", "more", "aspect", "confirm_wrong", "confirm_right", "switch_region", "switch_year",
         "topic_switch", "after_decline", "fresh", "reset", "page"}
REGIONS = {"槐荫区", "周村区", "栖霞市", "薛城区", "历城区"}
FILES = {
    "dev_conversations_c.jsonl": "conv",
    "dev_english_c.jsonl": "english",
    "dev_citizen_c.jsonl": "citizen",
}
ID_PREFIX = {"conv": "DCC_", "english": "DEC_", "citizen": "DCZ_"}
MIN_COUNT = {"conv": 30, "english": 60, "citizen": 40}


def squash(s: str | None) -> str:
    return WS.sub("", s or "")


def find_seeds(arg: str | None) -> Path:
    for cand in ([Path(arg)] if arg else []) + [ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")]:
        if cand.is_dir() and list(cand.glob("*.txt")):
            return cand
    sys.exit("seed folder not found (use --seeds)")


class Checker:
    """The checks every round's set shares; a later round's checker (check_dev_d.py) subclasses it, changing
    the class attributes and adding checks through the `*_extra` hooks."""

    files = FILES
    id_prefix = ID_PREFIX
    min_count = MIN_COUNT
    min_followups = 60
    styles: dict[str, set[str]] = {"english": {"english"}, "citizen": {"citizen"}}

    def __init__(self, seeds: Path):
        self.raw_text = {p.name: p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")}
        self.seed_text = {name: squash(text) for name, text in self.raw_text.items()}
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.ids: Counter = Counter()

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"{where}: {msg}")

    def option(self, where: str, kind: str, opt: dict, main: bool) -> None:
        doc = opt.get("doc")
        if doc not in self.seed_text:
            self.err(where, f"doc {doc!r} is not a seed file")
            return
        body = self.seed_text[doc]
        anchors = opt.get("anchors")
        if not isinstance(anchors, list) or not anchors:
            self.err(where, "anchors missing or empty")
            anchors = []
        for a in anchors:
            sa = squash(a)
            self.anchor_extra(where, a, sa, doc)
            if not 10 <= len(sa) <= 25:
                self.err(where, f"anchor {a!r} has {len(sa)} characters (want 10-25)")
            if sa not in body:
                self.err(where, f"anchor {a!r} not in {doc}")
        units = opt.get("units") or []
        if not isinstance(units, list):
            self.err(where, "units is not a list")
            units = []
        if kind == "who" and main and not units:
            self.err(where, "who item without units")
        for u in units:
            if squash(u) not in body:
                self.err(where, f"unit {u!r} not in {doc}")
        dl = opt.get("deadline")
        if kind == "when" and main and not dl:
            self.err(where, "when item without deadline")
        if dl and squash(dl) not in body:
            self.err(where, f"deadline {dl!r} not in {doc}")

    def anchor_extra(self, where: str, anchor: str, squashed: str, doc: str) -> None:
        """More checks of one anchor (none here)."""

    def turn_extra(self, where: str, turn: dict) -> None:
        """More checks of one conversation turn (none here)."""

    def record_extra(self, where: str, rec: dict) -> None:
        """More checks of one single question (none here)."""

    def item(self, where: str, g: dict, main_style: set[str] | None) -> None:
        for f in ("question", "kind", "region", "year", "doc", "also_docs", "anchors", "units", "deadline", "style", "note"):
            if f not in g:
                self.err(where, f"missing field {f!r}")
        if not isinstance(g.get("question"), str) or not g.get("question", "").strip():
            self.err(where, "empty question")
        kind = g.get("kind")
        if kind not in KINDS:
            self.err(where, f"bad kind {kind!r}")
            return
        if main_style and g.get("style") not in main_style:
            self.err(where, f"style {g.get('style')!r} not in {sorted(main_style)}")
        if kind == "none":
            if g.get("doc") or g.get("anchors") or g.get("units") or g.get("deadline") or g.get("alt"):
                self.err(where, "none item carries gold")
            if g.get("region") is not None and g.get("region") not in REGIONS:
                self.err(where, f"region {g.get('region')!r} is not a held region")
            return
        if g.get("region") not in REGIONS:
            self.err(where, f"region {g.get('region')!r} not a held region")
        if not isinstance(g.get("year"), int):
            self.err(where, "year missing")
        for d in g.get("also_docs") or []:
            if d not in self.seed_text:
                self.err(where, f"also_docs {d!r} is not a seed file")
        self.option(where, kind, g, True)
        for i, alt in enumerate(g.get("alt") or []):
            if not isinstance(alt, dict):
                self.err(where, f"alt[{i}] is not an object")
                continue
            self.option(f"{where} alt[{i}]", kind, alt, False)

    def file(self, path: Path, what: str) -> Counter:
        stats: Counter = Counter()
        if not path.exists():
            self.err(path.name, "missing")
            return stats
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        for n, ln in enumerate(lines, 1):
            try:
                rec = json.loads(ln)
            except ValueError as e:
                self.err(f"{path.name}:{n}", f"bad JSON ({e})")
                continue
            rid = rec.get("id")
            where = f"{path.name}:{n} {rid}"
            if not isinstance(rid, str) or not rid.startswith(self.id_prefix[what]):
                self.err(where, f"id should start with {self.id_prefix[what]}")
            self.ids[rid] += 1
            if what == "conv":
                turns = rec.get("turns")
                if not rec.get("what"):
                    self.err(where, "missing 'what'")
                if not isinstance(turns, list) or len(turns) < 2:
                    self.err(where, "a conversation needs at least two turns")
                    continue
                for i, t in enumerate(turns):
                    tw = f"{where} t{i + 1}"
                    self.item(tw, t, {"first"} if i == 0 else {"followup"})
                    mv = t.get("move")
                    if mv not in MOVES:
                        self.err(tw, f"bad move {mv!r}")
                    if (i == 0) != (mv == "new"):
                        self.err(tw, "move 'new' must be exactly the first turn")
                    self.turn_extra(tw, t)
                    stats["move:" + str(mv)] += 1
                    stats["kind:" + str(t.get("kind"))] += 1
                    stats["followups" if i else "first"] += 1
                stats["conversations"] += 1
            else:
                self.item(where, rec, self.styles[what])
                self.record_extra(where, rec)
                stats["kind:" + str(rec.get("kind"))] += 1
                stats["style:" + str(rec.get("style"))] += 1
                stats["questions"] += 1
        n = stats["conversations"] if what == "conv" else stats["questions"]
        if n < self.min_count[what]:
            self.err(path.name, f"{n} records, want at least {self.min_count[what]}")
        if what == "conv" and stats["followups"] < self.min_followups:
            self.err(path.name, f"{stats['followups']} follow-up turns, want at least {self.min_followups}")
        return stats

    def check_ids_against(self, folder: Path, names: list[str]) -> None:
        """No id of these sets is reused from earlier rounds' files in `folder`."""
        for name in names:
            old = folder / name
            if not old.exists():
                continue
            for ln in old.read_text(encoding="utf-8").splitlines():
                try:
                    oid = json.loads(ln).get("id") if ln.strip() else None
                except ValueError:
                    continue
                if oid in self.ids:
                    self.err("ids", f"{oid!r} also used in {name}")


def run(checker: type[Checker], doc: str | None, earlier: list[str] | None = None) -> int:
    """Parse the command line, check the round's files (and ids against `earlier` rounds' files), report."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=None, help="folder with the plan .txt files")
    ap.add_argument("--dir", default=str(HERE), help="folder holding the three jsonl files")
    args = ap.parse_args()
    ck = checker(find_seeds(args.seeds))
    for name, what in ck.files.items():
        stats = ck.file(Path(args.dir) / name, what)
        print(f"{name}: " + ", ".join(f"{k}={v}" for k, v in sorted(stats.items())))
    for rid, c in ck.ids.items():
        if c > 1:
            ck.err("ids", f"{rid!r} used {c} times")
    ck.check_ids_against(Path(args.dir), earlier or [])
    for w in ck.warnings:
        print("note", w)
    for e in ck.errors:
        print("ERROR", e)
    print("clean" if not ck.errors else f"{len(ck.errors)} problem(s)")
    return 1 if ck.errors else 0


if __name__ == "__main__":
    sys.exit(run(Checker, __doc__))

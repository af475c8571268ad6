#!/usr/bin/env python3
"""Check the hand-written list question set dev_lists_d.jsonl (gold for ../shared/eval/lists.py).

Standard library only.  Run from anywhere:

    python tests/bot/data/check_dev_lists_d.py [--file FILE] [--seeds DIR]

Checks:

* the first line is {"_comment": ...}; every other line is a JSON object with the fields and types of
  shared/eval/dev_lists.jsonl: id, question, kind, region, year, doc, department, names, due, anchors, also,
  style, note;
* ids are DLD_01, DLD_02, ... in order and unique; questions are unique and do not repeat a question (or id)
  of shared/eval/dev_lists.jsonl;
* kind is list or none.  A list item names an existing seed (doc), a region written in that seed, the
  plan's year, and exactly one of department (with its spellings in names, at least one of which occurs
  in the seed) or due (a real YYYY-MM-DD date in the plan's year or the next, with names empty);
* every anchor and every `also` item is 10-25 characters once whitespace is removed and occurs in the
  named seed (whitespace-insensitive); anchors are not repeated and not also listed under `also`;
* a none item (the right answer is an empty list, so the bot should decline) has no doc, year, anchors
  or also, still says what was asked (department or due), and its region is a held region or null;
* style is one of the agreed styles and the note is not empty.

Seeds are looked up in --seeds, else ../shared/seeds relative to the project root, else /work/shared/seeds.
Exit status 0 when clean, 1 otherwise.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]  # tests/bot/data -> project root
WS = re.compile(r"\s+")
ID_RE = re.compile(r"^DLD_(\d{2})$")
KINDS = {"list", "none"}
REGIONS = {"槐荫区", "周村区", "栖霞市", "薛城区", "历城区"}
STYLES = {"formal", "colloquial", "citizen", "staff", "english", "dialect"}
FIELDS = {
    "id": str, "question": str, "kind": str, "region": (str, type(None)), "year": (int, type(None)),
    "doc": (str, type(None)), "department": (str, type(None)), "names": list, "due": (str, type(None)),
    "anchors": list, "also": list, "style": str, "note": str,
}


def squash(s: str | None) -> str:
    return WS.sub("", s or "")


def find_seeds(arg: str | None) -> Path | None:
    for cand in ([Path(arg)] if arg else []) + [ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")]:
        if cand.is_dir() and list(cand.glob("*.txt")):
            return cand
    return None


def old_gold() -> list[dict]:
    for cand in (ROOT.parent / "shared" / "eval" / "dev_lists.jsonl", Path("/work/shared/eval/dev_lists.jsonl")):
        if cand.is_file():
            return [json.loads(ln) for ln in cand.read_text(encoding="utf-8").splitlines()
                    if ln.strip() and "_comment" not in json.loads(ln)]
    return []


def check_snippet(where: str, s, doc_text: str, doc_name: str, errs: list[str]) -> None:
    if not isinstance(s, str):
        errs.append(f"{where}: {s!r} is not a string")
        return
    n = len(squash(s))
    if not 10 <= n <= 25:
        errs.append(f"{where}: {s!r} is {n} characters (want 10-25)")
    if squash(s) not in doc_text:
        errs.append(f"{where}: {s!r} does not occur in {doc_name}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", default=str(HERE / "dev_lists_d.jsonl"))
    ap.add_argument("--any-ids", action="store_true", help="ids need not be DLD_01, DLD_02, ... (set G: GL_/GD_)")
    ap.add_argument("--seeds", default=None)
    args = ap.parse_args()
    any_ids = args.any_ids

    errs: list[str] = []
    seeds = find_seeds(args.seeds)
    if seeds is None:
        print("seeds not found (give --seeds)")
        return 1
    texts = {p.name: squash(p.read_text(encoding="utf-8")) for p in seeds.glob("*.txt")}

    raw = [ln for ln in Path(args.file).read_text(encoding="utf-8").splitlines() if ln.strip()]
    try:
        lines = [json.loads(ln) for ln in raw]
    except json.JSONDecodeError as e:
        print(f"not JSON Lines: {e}")
        return 1
    if not lines or set(lines[0]) != {"_comment"} or not isinstance(lines[0]["_comment"], str):
        errs.append("line 1 must be {\"_comment\": \"...\"}")
        items = [g for g in lines if "_comment" not in g]
    else:
        items = lines[1:]

    old = old_gold()
    old_q = {squash(g.get("question")) for g in old}
    old_ids = {g.get("id") for g in old}
    seen_ids: set[str] = set()
    seen_q: set[str] = set()

    for n, g in enumerate(items, 1):
        gid = g.get("id", f"<line {n + 1}>")
        # fields and types
        missing = [k for k in FIELDS if k not in g]
        extra = [k for k in g if k not in FIELDS]
        if missing:
            errs.append(f"{gid}: missing fields {missing}")
            continue
        if extra:
            errs.append(f"{gid}: unexpected fields {extra}")
        bad = [k for k, t in FIELDS.items() if not isinstance(g[k], t) or (t is int and isinstance(g[k], bool))]
        if bad:
            errs.append(f"{gid}: wrong types for {bad}")
            continue
        if not all(isinstance(x, str) and x.strip() for x in g["names"]):
            errs.append(f"{gid}: names must be non-empty strings")
        # id and question
        m = ID_RE.match(gid)
        if not any_ids and (not m or int(m.group(1)) != n):
            errs.append(f"{gid}: id should be DLD_{n:02d}")
        if gid in seen_ids or gid in old_ids:
            errs.append(f"{gid}: duplicate id")
        seen_ids.add(gid)
        q = squash(g["question"])
        if not q:
            errs.append(f"{gid}: empty question")
        if q in seen_q:
            errs.append(f"{gid}: duplicate question")
        if q in old_q:
            errs.append(f"{gid}: question repeats shared/eval/dev_lists.jsonl")
        seen_q.add(q)
        if g["kind"] not in KINDS:
            errs.append(f"{gid}: kind {g['kind']!r} not in {sorted(KINDS)}")
        if g["style"] not in STYLES:
            errs.append(f"{gid}: style {g['style']!r} not in {sorted(STYLES)}")
        if not g["note"].strip():
            errs.append(f"{gid}: empty note")
        # what was asked: exactly one of department / due
        if (g["department"] is None) == (g["due"] is None):
            errs.append(f"{gid}: give exactly one of department and due")
        due = None
        if g["due"] is not None:
            try:
                due = dt.date.fromisoformat(g["due"])
            except ValueError:
                errs.append(f"{gid}: due {g['due']!r} is not a YYYY-MM-DD date")
            if g["names"]:
                errs.append(f"{gid}: a due-date question carries no names")
        if g["department"] is not None and not g["names"]:
            errs.append(f"{gid}: a department question needs names (its spellings)")
        if g["department"] is not None and g["department"] not in g["names"]:
            errs.append(f"{gid}: department {g['department']!r} should be one of names")

        if g["kind"] == "none":
            for k in ("doc", "year"):
                if g[k] is not None:
                    errs.append(f"{gid}: none item carries {k}")
            if g["anchors"] or g["also"]:
                errs.append(f"{gid}: none item carries anchors/also")
            if g["region"] is not None and g["region"] not in REGIONS:
                errs.append(f"{gid}: region {g['region']!r} is neither held nor null")
            continue

        # list items
        if g["region"] not in REGIONS:
            errs.append(f"{gid}: region {g['region']!r} not in {sorted(REGIONS)}")
        doc = g["doc"]
        if doc not in texts:
            errs.append(f"{gid}: doc {doc!r} not found in {seeds}")
            continue
        text = texts[doc]
        if g["region"] and g["region"][:2] not in text:
            errs.append(f"{gid}: region {g['region']} is not named in {doc}")
        if g["year"] is None or f"{g['year']}年" not in text:
            errs.append(f"{gid}: year {g['year']} is not the plan's year")
        if due is not None and g["year"] is not None and due.year not in (g["year"], g["year"] + 1):
            errs.append(f"{gid}: due {due} is outside the plan's year")
        if g["department"] is not None and not any(squash(x) in text for x in g["names"]):
            errs.append(f"{gid}: none of names {g['names']} occurs in {doc}")
        if not g["anchors"]:
            errs.append(f"{gid}: a list item needs anchors")
        for i, a in enumerate(g["anchors"]):
            check_snippet(f"{gid} anchors[{i}]", a, text, doc, errs)
        for i, a in enumerate(g["also"]):
            check_snippet(f"{gid} also[{i}]", a, text, doc, errs)
        keys = [squash(a) for a in g["anchors"] if isinstance(a, str)]
        dup = [k for k, c in Counter(keys).items() if c > 1]
        if dup:
            errs.append(f"{gid}: duplicate anchors {dup}")
        both = set(keys) & {squash(a) for a in g["also"] if isinstance(a, str)}
        if both:
            errs.append(f"{gid}: in both anchors and also: {sorted(both)}")

    kinds = Counter("empty" if g.get("kind") == "none" else ("due" if g.get("due") else "department")
                    for g in items)
    styles = Counter(g.get("style") for g in items)
    n_anchors = sum(len(g.get("anchors") or []) for g in items)
    n_also = sum(len(g.get("also") or []) for g in items)
    print(f"{args.file}: {len(items)} questions; " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print("styles: " + ", ".join(f"{k} {v}" for k, v in sorted(styles.items())))
    print(f"anchors: {n_anchors} required, {n_also} acceptable; seeds: {seeds}")
    for e in errs:
        print("ERROR", e)
    print("clean" if not errs else f"{len(errs)} problem(s)")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())

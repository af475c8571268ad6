#!/usr/bin/env python3
"""Validate the held-out question set (standard library only).

Checks: ids unique and well formed, required fields and types, kind/style values, every anchor /
unit / deadline occurs in the named seed plan (whitespace-insensitive, as score.py compares; an
anchor that only matches after removing whitespace is reported as a note, not an error), anchor
lengths, `none` lines carry no gold, alt entries are well formed. Prints counts per style and kind.

    python bench/heldout/check.py [--file questions.jsonl] [--seeds DIR] [--strict]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent  # project root (…/main)
WS = re.compile(r"\s+")
REQUIRED = ["id", "question", "kind", "region", "year", "doc", "also_docs", "anchors", "units",
            "deadline", "style", "note"]
KINDS = {"who", "when", "what", "none"}
STYLES = {"voice", "dialect", "confirm", "widget", "english", "citizen", "staff", "kiosk",
          "nearmiss", "duration"}
REGIONS = {"槐荫区", "周村区", "栖霞市", "薛城区", "历城区"}


def squash(s: str | None) -> str:
    return WS.sub("", s or "")


def find_seeds(arg: str | None) -> Path:
    for cand in ([Path(arg)] if arg else []) + [ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds")]:
        if cand.is_dir():
            return cand
    sys.exit("seed folder not found (try --seeds)")


def check_gold(tag: str, doc: str | None, anchors, units, deadline, texts, errors, notes, kind):
    if doc not in texts:
        errors.append(f"{tag}: doc {doc!r} is not a seed file")
        return
    raw, flat = texts[doc]
    if not isinstance(anchors, list) or not anchors:
        errors.append(f"{tag}: anchors must be a non-empty list")
        anchors = []
    for a in anchors:
        if not isinstance(a, str) or not squash(a):
            errors.append(f"{tag}: empty anchor")
            continue
        if squash(a) not in flat:
            errors.append(f"{tag}: anchor not in {doc}: {a}")
        elif a not in raw:
            notes.append(f"{tag}: anchor matches only with whitespace removed: {a}")
        n = len(squash(a))
        if n < 8 or n > 30:
            notes.append(f"{tag}: anchor length {n}: {a}")
    for u in units or []:
        if squash(u) not in flat:
            errors.append(f"{tag}: unit not in {doc}: {u}")
    if deadline is not None and squash(deadline) not in flat:
        errors.append(f"{tag}: deadline not in {doc}: {deadline}")
    if kind == "who" and not units:
        errors.append(f"{tag}: who-question without units")
    if kind == "when" and not deadline:
        errors.append(f"{tag}: when-question without deadline")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", default=str(HERE / "questions.jsonl"))
    ap.add_argument("--seeds", default=None)
    ap.add_argument("--strict", action="store_true", help="treat notes as errors")
    ap.add_argument("--quiet", action="store_true", help="do not print notes")
    args = ap.parse_args()

    seeds = find_seeds(args.seeds)
    texts = {p.name: (p.read_text(encoding="utf-8"), squash(p.read_text(encoding="utf-8")))
             for p in sorted(seeds.glob("*.txt"))}
    errors: list[str] = []
    notes: list[str] = []
    rows = []
    for n, line in enumerate(Path(args.file).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: bad JSON: {e}")

    ids = Counter(r.get("id") for r in rows)
    for i, c in ids.items():
        if c > 1:
            errors.append(f"duplicate id {i} ({c}x)")
    questions = Counter(squash(r.get("question")) for r in rows)
    for q, c in questions.items():
        if c > 1:
            errors.append(f"duplicate question text ({c}x): {q[:40]}")

    for k, r in enumerate(rows, 1):
        tag = str(r.get("id", f"row{k}"))
        missing = [f for f in REQUIRED if f not in r]
        if missing:
            errors.append(f"{tag}: missing fields {missing}")
            continue
        if not re.fullmatch(r"H_\d{3}", tag):
            errors.append(f"{tag}: id must look like H_001")
        extra = set(r) - set(REQUIRED) - {"alt"}
        if extra:
            errors.append(f"{tag}: unexpected fields {sorted(extra)}")
        if not isinstance(r["question"], str) or not r["question"].strip():
            errors.append(f"{tag}: empty question")
        kind, style = r["kind"], r["style"]
        if kind not in KINDS:
            errors.append(f"{tag}: bad kind {kind!r}")
        if style not in STYLES:
            errors.append(f"{tag}: bad style {style!r}")
        if not isinstance(r["note"], str) or not r["note"].strip():
            errors.append(f"{tag}: empty note")
        if r["region"] is not None and r["region"] not in REGIONS:
            errors.append(f"{tag}: region {r['region']!r} is not a held region (use null)")
        if not isinstance(r["also_docs"], list):
            errors.append(f"{tag}: also_docs must be a list")
        for d in r["also_docs"] or []:
            if d not in texts:
                errors.append(f"{tag}: also_docs entry {d!r} is not a seed file")
        if style == "nearmiss" and kind != "none":
            errors.append(f"{tag}: nearmiss questions must be kind none")
        if style == "confirm" and kind not in {"who", "when"}:
            errors.append(f"{tag}: confirm questions must be who/when")
        if style == "widget" and not (2 <= len(r["question"]) <= 14):
            notes.append(f"{tag}: widget message length {len(r['question'])}")
        if kind == "none":
            if r["doc"] is not None or r["anchors"] or r["units"] or r["deadline"] is not None or r.get("alt"):
                errors.append(f"{tag}: a none-question carries gold")
            continue
        if r["region"] is None or r["year"] is None:
            errors.append(f"{tag}: answerable question needs region and year")
        check_gold(tag, r["doc"], r["anchors"], r["units"], r["deadline"], texts, errors, notes, kind)
        for j, alt in enumerate(r.get("alt") or [], 1):
            if not isinstance(alt, dict):
                errors.append(f"{tag}: alt {j} is not an object")
                continue
            opt = {"doc": r["doc"], "anchors": r["anchors"], "units": r["units"], "deadline": r["deadline"], **alt}
            check_gold(f"{tag}/alt{j}", opt["doc"], opt["anchors"], opt["units"], opt["deadline"],
                       texts, errors, notes, kind)

    by_style = Counter(r.get("style") for r in rows)
    by_kind = Counter(r.get("kind") for r in rows)
    cross = Counter((r.get("style"), r.get("kind")) for r in rows)
    print(f"{len(rows)} questions in {args.file}\n")
    kinds = ["who", "when", "what", "none"]
    print(f"{'style':<10}" + "".join(f"{k:>6}" for k in kinds) + f"{'total':>7}")
    for s in sorted(by_style):
        print(f"{s:<10}" + "".join(f"{cross[(s, k)]:>6}" for k in kinds) + f"{by_style[s]:>7}")
    print(f"{'ALL':<10}" + "".join(f"{by_kind[k]:>6}" for k in kinds) + f"{len(rows):>7}")
    regions = Counter(r.get("region") for r in rows)
    print("\nby region: " + ", ".join(f"{k}={v}" for k, v in sorted(regions.items(), key=lambda x: str(x[0]))))
    if notes and not args.quiet:
        print(f"\n{len(notes)} notes:")
        for n in notes:
            print("  note: " + n)
    if errors:
        print(f"\n{len(errors)} errors:")
        for e in errors:
            print("  ERROR: " + e)
    if errors or (args.strict and notes):
        sys.exit(1)
    print("\nOK")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Check the held-out conversation and list gold against the plans (standard library only).

    python bench/heldout/check_conv.py [--seeds DIR]

Seeds: --seeds, else ../shared/seeds relative to the project root, else /work/shared/seeds.

Conversations (conversations.jsonl): ids unique; every turn has a known kind, move and style
(first turn: move "new", style "first"; later turns: style "followup" and a follow-up move); a
none turn names no plan; an answerable turn names a plan whose region/year it carries, and every
anchor, unit and deadline (of the main answer and of each alt) occurs in that plan (whitespace
ignored); who turns carry units, when turns a deadline; a "more" turn never offers an anchor
already given as the answer of an earlier turn. Prints the counts per move, kind and language.

Lists (lists.jsonl): ids unique (across both files too); first line is the _comment; every anchor
and `also` item is a 10-25 character substring of its plan, none repeated, none both required and
acceptable; department questions carry names, due-date questions a YYYY-MM-DD date.
Exit status 1 when anything is wrong.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WS = re.compile(r"\s+")
sys.path.insert(0, str(HERE))  # run as a script beside check.py, whose helpers it shares
from check import find_seeds, squash  # noqa: E402

KINDS = {"who", "when", "what", "none"}
FOLLOW_MOVES = {"more", "aspect", "confirm_wrong", "confirm_right", "switch_region", "switch_year",
                "topic_switch", "after_decline", "fresh", "reset"}
REGIONS = {"000_87750e4ac51e19cb.txt": ("槐荫区", 2022), "001_da36f7a422d82783.txt": ("周村区", 2020),
           "002_baea861421853175.txt": ("栖霞市", 2022), "003_56cf912e61e5bbd4.txt": ("薛城区", 2024),
           "004_2e6bec67672e9675.txt": ("历城区", 2023)}
MIN_PER_MOVE = 5


def load(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def check_option(where: str, kind: str, opt: dict, docs: dict[str, str], bad: list[str]) -> None:
    doc = opt.get("doc")
    if doc not in docs:
        bad.append(f"{where}: unknown plan {doc!r}")
        return
    text = docs[doc]
    if not opt.get("anchors"):
        bad.append(f"{where}: no anchors")
    for a in opt.get("anchors") or []:
        if squash(a) not in text:
            bad.append(f"{where}: anchor not in {doc}: {a}")
    for u in opt.get("units") or []:
        if squash(u) not in text:
            bad.append(f"{where}: unit not in {doc}: {u}")
    if opt.get("deadline") and squash(opt["deadline"]) not in text:
        bad.append(f"{where}: deadline not in {doc}: {opt['deadline']}")
    if kind == "who" and not opt.get("units"):
        bad.append(f"{where}: who without units")
    if kind == "when" and not opt.get("deadline"):
        bad.append(f"{where}: when without deadline")


def check_conversations(convs: list[dict], docs: dict[str, str], bad: list[str]) -> dict:
    moves, kinds, langs = Counter(), Counter(), Counter()
    follow = 0
    for c in convs:
        cid = c.get("id")
        turns = c.get("turns") or []
        if len(turns) < 2:
            bad.append(f"{cid}: fewer than two turns")
        langs[c.get("lang", "zh")] += 1
        given: set[str] = set()
        for i, t in enumerate(turns, 1):
            where = f"{cid} t{i}"
            kind, move, style = t.get("kind"), t.get("move"), t.get("style")
            if kind not in KINDS:
                bad.append(f"{where}: kind {kind!r}")
            if i == 1:
                if move != "new" or style != "first":
                    bad.append(f"{where}: first turn must be move=new style=first")
            else:
                follow += 1
                if move not in FOLLOW_MOVES or style != "followup":
                    bad.append(f"{where}: follow-up needs a follow-up move and style=followup (got {move}/{style})")
            moves[move] += 1
            kinds[kind] += 1
            if not t.get("question", "").strip():
                bad.append(f"{where}: empty question")
            if kind == "none":
                if t.get("doc") or t.get("anchors") or t.get("units") or t.get("deadline") or t.get("alt"):
                    bad.append(f"{where}: a none turn must name no plan, anchors, units or deadline")
                continue
            doc = t.get("doc")
            if doc in REGIONS and (t.get("region"), t.get("year")) != REGIONS[doc]:
                bad.append(f"{where}: region/year {t.get('region')}/{t.get('year')} do not match {doc}")
            main = {"doc": doc, "anchors": t.get("anchors"), "units": t.get("units"), "deadline": t.get("deadline")}
            opts = [main] + [dict(main, **a) for a in t.get("alt") or []]
            for j, o in enumerate(opts):
                check_option(where + (f" alt{j}" if j else ""), kind, o, docs, bad)
            offered = {squash(a) for o in opts for a in o.get("anchors") or []}
            if move == "more" and offered & given:
                bad.append(f"{where}: a 'more' turn offers a clause already given: {sorted(offered & given)}")
            given |= {squash(a) for a in t.get("anchors") or []}
    return {"moves": moves, "kinds": kinds, "langs": langs, "follow": follow}


def check_lists(lines: list[dict], docs: dict[str, str], bad: list[str]) -> Counter:
    if not lines or "_comment" not in lines[0]:
        bad.append("lists: the first line must be the _comment")
    gold = [g for g in lines if "_comment" not in g]
    shapes = Counter()
    for g in gold:
        gid = g.get("id")
        doc = g.get("doc")
        if doc not in docs:
            bad.append(f"{gid}: unknown plan {doc!r}")
            continue
        if (g.get("region"), g.get("year")) != REGIONS.get(doc):
            bad.append(f"{gid}: region/year do not match {doc}")
        if g.get("kind") != "list":
            bad.append(f"{gid}: kind must be list")
        text = docs[doc]
        req = [squash(a) for a in g.get("anchors") or []]
        also = [squash(a) for a in g.get("also") or []]
        if not req:
            bad.append(f"{gid}: no required items")
        for a in req + also:
            if not 10 <= len(a) <= 25:
                bad.append(f"{gid}: item is {len(a)} characters (10-25): {a}")
            if a not in text:
                bad.append(f"{gid}: item not in {doc}: {a}")
        if len(set(req + also)) != len(req + also):
            bad.append(f"{gid}: an item is repeated (or both required and acceptable)")
        if g.get("due"):
            shapes["due-date"] += 1
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", g["due"]):
                bad.append(f"{gid}: due {g['due']!r} is not YYYY-MM-DD")
            if g.get("department"):
                bad.append(f"{gid}: both due and department")
        else:
            shapes["department"] += 1
            if not g.get("department") or not g.get("names"):
                bad.append(f"{gid}: department question without department/names")
            elif not any(squash(n) in text for n in g["names"]):
                bad.append(f"{gid}: no spelling of the department occurs in {doc}")
    return shapes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=None)
    ap.add_argument("--conversations", default=str(HERE / "conversations.jsonl"))
    ap.add_argument("--lists", default=str(HERE / "lists.jsonl"))
    args = ap.parse_args()
    seeds = find_seeds(args.seeds)
    docs = {p.name: squash(p.read_text(encoding="utf-8")) for p in seeds.glob("*.txt")}
    bad: list[str] = []

    convs = load(Path(args.conversations))
    lists = load(Path(args.lists))
    ids = [c.get("id") for c in convs] + [g.get("id") for g in lists if "_comment" not in g]
    for i, n in Counter(ids).items():
        if n > 1:
            bad.append(f"id {i} used {n} times")
    st = check_conversations(convs, docs, bad)
    shapes = check_lists(lists, docs, bad)

    print(f"seeds: {seeds}")
    print(f"conversations: {len(convs)}  turns: {sum(st['moves'].values())}  follow-ups: {st['follow']}  "
          f"languages: {dict(st['langs'])}")
    print("moves:")
    for m in ["new"] + sorted(FOLLOW_MOVES):
        n = st["moves"].get(m, 0)
        flag = "" if m == "new" or n >= MIN_PER_MOVE else f"   <-- fewer than {MIN_PER_MOVE}"
        print(f"  {m:<14}{n:>4}{flag}")
        if m != "new" and n < MIN_PER_MOVE:
            bad.append(f"move {m}: only {n} turns")
    print("kinds: " + ", ".join(f"{k}={v}" for k, v in sorted(st["kinds"].items())))
    print(f"lists: {sum(shapes.values())} ({dict(shapes)})")
    if len(convs) < 32 or st["follow"] < 60:
        bad.append(f"need at least 32 conversations and 60 follow-ups (have {len(convs)}, {st['follow']})")
    if st["langs"].get("en", 0) < 4:
        bad.append("need at least 4 English conversations")
    if sum(shapes.values()) < 12:
        bad.append("need at least 12 list questions")
    for b in bad:
        print("BAD", b)
    print("clean" if not bad else f"{len(bad)} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

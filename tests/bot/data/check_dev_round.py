#!/usr/bin/env python3
"""Check one blind development round (dev_english_X.jsonl, dev_citizen_X.jsonl, dev_conversations_X.jsonl).

Standard library only; run from anywhere: python tests/bot/data/check_dev_round.py X (f, h, …; check_dev_f.py
and check_dev_h.py run it for their round). Every anchor is a 10-25 character substring of its plan
(whitespace removed), docs exist and match region and year, units and deadlines occur near the anchor, none
items carry no gold, moves are known, and no question copies one of an earlier set (../shared/eval/*.jsonl and
the sets before the round here, `EARLIER_SETS`).
Seeds: ../shared/seeds beside the project, else /work/shared/seeds. Exit 1 on any error.
"""

import collections
import glob
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUND = sys.argv[1] if len(sys.argv) > 1 else "h"
ENGLISH, CITIZEN, CONVERSATIONS = (HERE / f"dev_{kind}_{ROUND}.jsonl" for kind in ("english", "citizen", "conversations"))
W = re.compile(r"\s+")
def sq(s):
    return W.sub("", s or "")
SEEDS = next(
    (str(p) for p in (HERE.parents[2].parent / "shared" / "seeds", Path("/work/shared/seeds")) if p.is_dir()),
    "/work/shared/seeds",
)
RAW = {os.path.basename(p): open(p, encoding="utf-8").read() for p in glob.glob(SEEDS + "/*.txt")}
SQ = {k: sq(v) for k, v in RAW.items()}
DOCREG = {
    "000_87750e4ac51e19cb.txt": ("槐荫区", 2022),
    "001_da36f7a422d82783.txt": ("周村区", 2020),
    "002_baea861421853175.txt": ("栖霞市", 2022),
    "003_56cf912e61e5bbd4.txt": ("薛城区", 2024),
    "004_2e6bec67672e9675.txt": ("历城区", 2023),
}
MOVES = {
    "new",
    "aspect",
    "more",
    "confirm_wrong",
    "confirm_right",
    "switch_region",
    "switch_year",
    "after_decline",
    "reset",
    "new_with_region",
    "section_more",
    "point_back",
    "topic_switch",
}
err = []
warn = []
stats = collections.Counter()


def E(w, m):
    err.append(f"{w}: {m}")


def Wn(w, m):
    warn.append(f"{w}: {m}")


def positions(t, s):
    i = t.find(s)
    out = []
    while i >= 0:
        out.append(i)
        i = t.find(s, i + 1)
    return out


def check_option(w, kind, doc, anchors, units, deadline, region):
    if doc not in SQ:
        E(w, f"doc {doc} missing")
        return
    t = SQ[doc]
    if not anchors:
        E(w, "no anchors")
        return
    pos = []
    for a in anchors:
        s = sq(a)
        if not 10 <= len(s) <= 25:
            E(w, f"anchor length {len(s)}: {a}")
        if s not in t:
            E(w, f"anchor not in {doc}: {a}")
            continue
        stats["anchors"] += 1
        if a not in RAW[doc]:
            stats["anchors_squash_only"] += 1
            Wn(w, f"anchor matches only after removing whitespace (space or line break in the source): {a}")
        others = [d for d in SQ if d != doc and s in SQ[d]]
        if others:
            stats["anchors_shared"] += 1
            if not region:
                Wn(w, f"regionless question, anchor also in {others}: {a}")
        pos += positions(t, s)
    if kind == "who":
        if not units:
            E(w, "who without units")
        for u in units:
            su = sq(u)
            up = positions(t, su)
            if not up:
                E(w, f"unit not in plan: {u}")
                continue
            near = any(-1800 <= q - p <= 700 for p in pos for q in up)
            if not near:
                E(w, f"unit {u} not within window of anchor")
            stats["units"] += 1
    if kind == "when":
        if not deadline:
            E(w, "when without deadline")
        else:
            dp = positions(t, sq(deadline))
            if not dp:
                E(w, f"deadline not in plan: {deadline}")
            elif not any(-2500 <= q - p <= 900 for p in pos for q in dp):
                E(w, f"deadline {deadline} not near anchor")
            stats["deadlines"] += 1


def check(w, g, conv=False):
    k = g.get("kind")
    if k not in ("who", "when", "what", "none"):
        E(w, f"bad kind {k}")
    for f in ("question", "kind", "region", "year", "doc", "anchors", "units", "deadline", "note"):
        if f not in g:
            E(w, f"missing field {f}")
    if k == "none":
        if g.get("anchors") or g.get("units") or g.get("deadline") or g.get("doc"):
            E(w, "none item carries gold")
        return
    doc = g.get("doc")
    if doc in DOCREG:
        reg, yr = DOCREG[doc]
        if g.get("region") not in (None, reg):
            E(w, f"region {g.get('region')} != {reg}")
        if g.get("region") and g.get("year") != yr:
            E(w, f"year {g.get('year')} != {yr}")
    check_option(w, k, doc, g.get("anchors"), g.get("units"), g.get("deadline"), g.get("region"))
    for i, a in enumerate(g.get("alt") or []):
        o = dict(doc=doc, units=g.get("units"), deadline=g.get("deadline"))
        o.update(a)
        if k == "who" and not a.get("units") and False:
            pass
        check_option(
            f"{w}/alt{i}",
            k if k != "who" or o["units"] else "what",
            o["doc"],
            o["anchors"],
            o["units"],
            o["deadline"],
            g.get("region"),
        )
    for d in g.get("also_docs") or []:
        if d not in SQ:
            E(w, f"also_doc missing {d}")


# existing questions, to check the new ones are not copies
old_q = set()
# the sets each round's writer was told not to copy (F: round E; H: every set before it)
EARLIER_SETS = {
    "f": ("*_e.jsonl",),
    "h": ("*_c.jsonl", "*_d.jsonl", "*_e.jsonl", "*_f.jsonl", "*_g.jsonl", "*_none.jsonl", "own_singles.jsonl"),
}
EARLIER = [p for pat in EARLIER_SETS.get(ROUND, ("*.jsonl",)) for p in glob.glob(str(HERE / pat))
           if Path(p) not in (ENGLISH, CITIZEN, CONVERSATIONS)]
for f in glob.glob(str(Path(SEEDS).parent / "eval" / "*.jsonl")) + sorted(set(EARLIER)):
    for line in open(f, encoding="utf-8"):
        if not line.strip():
            continue
        d = json.loads(line)
        if "question" in d:
            old_q.add(sq(d["question"]))
        for t in d.get("turns", []):
            old_q.add(sq(t["question"]))
ids = set()
for fn in (ENGLISH, CITIZEN):
    c = collections.Counter()
    for n, line in enumerate(open(fn, encoding="utf-8"), 1):  # noqa: B007 (n: the count, printed below)
        g = json.loads(line)
        w = f"{fn}:{g.get('id')}"
        if g["id"] in ids:
            E(w, "duplicate id")
        ids.add(g["id"])
        c[(g.get("style"), g["kind"])] += 1
        if sq(g["question"]) in old_q:
            E(w, "question copied from an existing set")
        check(w, g)
    print(
        fn,
        n,
        "items;",
        dict(sorted(collections.Counter(s for s, k in c.elements()).items())),
        "kinds:",
        dict(collections.Counter(k for s, k in c.elements())),
    )
mc = collections.Counter()
nturn = 0
nfollow = 0
lang = collections.Counter()
for n, line in enumerate(open(CONVERSATIONS, encoding="utf-8"), 1):  # noqa: B007
    c = json.loads(line)
    w = f"conversations:{c['id']}"
    if c["id"] in ids:
        E(w, "duplicate id")
    ids.add(c["id"])
    if not 2 <= len(c["turns"]) <= 5:
        E(w, f"{len(c['turns'])} turns")
    lang["en" if re.match(r"[A-Za-z]", c["turns"][0]["question"]) else "zh"] += 1
    for i, t in enumerate(c["turns"]):
        tw = f"{w}/t{i + 1}"
        nturn += 1
        nfollow += i > 0
        m = t.get("move")
        if m not in MOVES:
            E(tw, f"bad move {m}")
        if i == 0 and m != "new":
            E(tw, "first turn must be move new")
        if i > 0 and m == "new":
            E(tw, "follow-up labelled new")
        mc[m] += 1
        if sq(t["question"]) in old_q and len(sq(t["question"])) > 8:
            E(tw, "question copied from an existing set")
        check(tw, t, True)
print(
    "conversations.jsonl", n, "conversations,", nturn, "turns,", nfollow, "follow-ups; languages", dict(lang)
)
print("moves:", dict(sorted(mc.items())))
print("checked:", dict(stats))
print(f"\nwarnings ({len(warn)}):")
[print("  ", x) for x in warn]
print(f"\nERRORS ({len(err)}):")
[print("  ", x) for x in err]
sys.exit(1 if err else 0)

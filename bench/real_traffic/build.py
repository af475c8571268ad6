#!/usr/bin/env python3
"""Check the real-traffic gold sets in this folder against the plans they cite (standard library only).

Run from the project root:

    python bench/real_traffic/build.py [--plans knowledge/plans]

It reads questions.jsonl (single questions, score.py format), conversations.jsonl (converse.py format)
and lists.jsonl (lists.py format) and checks, whitespace ignored as the scorers ignore it:

- ids are unique within each file and every line carries its required fields;
- kind is one of who / when / what / none (list for lists.jsonl); a none line names no plan and no
  anchors; who lines carry units, when lines a deadline;
- doc is one of the five plans and region / year agree with it;
- every anchor (also those of an "alt" option) is a substring of the named plan, every unit and every
  deadline appears in that plan;
- an answered conversation turn names its region (converse.py fails a reply that names another
  district, so a turn without a region could never pass);
- list anchors and "also" items are 10-25 characters long, distinct, and substrings of the plan;
  department questions have names, due-date questions a YYYY-MM-DD due date.

It prints the counts per style and kind and exits 1 when any check fails. Nothing is rewritten: the
.jsonl files are the hand-written source.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
WS = re.compile(r"\s+")
PLANS = {  # doc id (seed file name in ../shared/seeds) -> (region, year)
    "000_87750e4ac51e19cb.txt": ("槐荫区", 2022),
    "001_da36f7a422d82783.txt": ("周村区", 2020),
    "002_baea861421853175.txt": ("栖霞市", 2022),
    "003_56cf912e61e5bbd4.txt": ("薛城区", 2024),
    "004_2e6bec67672e9675.txt": ("历城区", 2023),
}
PLAN_FILES = {  # doc id -> the same text under knowledge/plans (byte-identical)
    "000_87750e4ac51e19cb.txt": "2022-济南市槐荫区-政务公开工作要点.txt",
    "001_da36f7a422d82783.txt": "2020-淄博市周村区-政务公开工作要点.md",
    "002_baea861421853175.txt": "2022-烟台栖霞市-政务公开工作要点.txt",
    "003_56cf912e61e5bbd4.txt": "2024-枣庄市薛城区-政务公开工作要点.txt",
    "004_2e6bec67672e9675.txt": "2023-济南市历城区-政务公开工作要点.txt",
}
SINGLE_FIELDS = ("id", "question", "kind", "region", "year", "doc", "also_docs", "anchors", "units",
                 "deadline", "style", "note")
TURN_FIELDS = ("question", "kind", "region", "year", "doc", "anchors", "units", "deadline", "style")
LIST_FIELDS = ("id", "question", "kind", "region", "year", "doc", "department", "names", "due", "anchors",
               "also", "style", "note")
KINDS = {"who", "when", "what", "none"}


def squash(s: str | None) -> str:
    return WS.sub("", s or "")


def load_plans(folder: Path) -> dict[str, str]:
    """Plan texts by doc id; the folder may hold them under their seed names or their knowledge/plans names."""
    texts = {}
    for doc, name in PLAN_FILES.items():
        path = next((p for p in (folder / doc, folder / name) if p.is_file()), None)
        if path is None:
            sys.exit(f"plan {doc} ({name}) not found in {folder} (run from the project root or pass --plans)")
        texts[doc] = squash(path.read_text(encoding="utf-8"))
    return texts


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                sys.exit(f"{path.name}:{n}: not JSON ({e})")
    return rows


def check_answer(tag: str, g: dict, plans: dict[str, str]) -> list[str]:
    """The gold clause of one question or turn: kind, plan, region, anchors, units, deadline."""
    errs = []
    kind = g.get("kind")
    if kind not in KINDS:
        return [f"{tag}: kind {kind!r} is not one of {sorted(KINDS)}"]
    if kind == "none":
        if g.get("doc") or g.get("anchors") or g.get("units") or g.get("deadline") or g.get("alt"):
            errs.append(f"{tag}: a none line names no plan, anchors, units or deadline")
        return errs
    doc = g.get("doc")
    if doc not in plans:
        return [f"{tag}: doc {doc!r} is not one of the five plans"]
    region, year = PLANS[doc]
    if g.get("region") not in (None, region) or g.get("year") not in (None, year):
        errs.append(f"{tag}: region/year {g.get('region')}/{g.get('year')} do not match {doc} ({region}/{year})")
    if bool(g.get("region")) != bool(g.get("year")):
        errs.append(f"{tag}: region and year must be given together")
    for opt_no, opt in enumerate([g] + list(g.get("alt") or [])):
        where = tag if opt_no == 0 else f"{tag} alt{opt_no}"
        odoc = opt.get("doc", doc)
        if odoc not in plans:
            errs.append(f"{where}: doc {odoc!r} is not one of the five plans")
            continue
        text = plans[odoc]
        anchors = opt.get("anchors", g.get("anchors")) or []
        if not anchors:
            errs.append(f"{where}: no anchors")
        for a in anchors:
            if not squash(a) or squash(a) not in text:
                errs.append(f"{where}: anchor not in {odoc}: {a!r}")
        units = opt.get("units", g.get("units")) or []
        for u in units:
            if squash(u) not in text:
                errs.append(f"{where}: unit not in {odoc}: {u!r}")
        deadline = opt.get("deadline", g.get("deadline"))
        if deadline and squash(deadline) not in text:
            errs.append(f"{where}: deadline not in {odoc}: {deadline!r}")
        if kind == "who" and not units:
            errs.append(f"{where}: a who line needs units")
        if kind == "when" and not deadline:
            errs.append(f"{where}: a when line needs a deadline")
    return errs


def check_questions(rows: list[dict], plans: dict[str, str]) -> list[str]:
    errs = []
    for g in rows:
        tag = f"questions {g.get('id')}"
        errs += [f"{tag}: missing field {f!r}" for f in SINGLE_FIELDS if f not in g]
        errs += check_answer(tag, g, plans)
    return errs


def check_conversations(rows: list[dict], plans: dict[str, str]) -> list[str]:
    errs = []
    for c in rows:
        tag = f"conversations {c.get('id')}"
        turns = c.get("turns") or []
        if not c.get("what"):
            errs.append(f"{tag}: missing 'what'")
        if not 2 <= len(turns) <= 4:
            errs.append(f"{tag}: {len(turns)} turns (want 2-4)")
        for i, t in enumerate(turns, 1):
            ttag = f"{tag} t{i}"
            errs += [f"{ttag}: missing field {f!r}" for f in TURN_FIELDS if f not in t]
            errs += check_answer(ttag, t, plans)
            if t.get("kind") != "none" and not t.get("region"):
                errs.append(f"{ttag}: an answered turn must name its region (converse.py checks strays)")
            want_style = "first" if i == 1 else "followup"
            if t.get("style") != want_style:
                errs.append(f"{ttag}: style {t.get('style')!r}, want {want_style!r}")
    return errs


def check_lists(rows: list[dict], plans: dict[str, str]) -> list[str]:
    errs = []
    if not rows or "_comment" not in rows[0]:
        errs.append("lists: the first line must be the {\"_comment\": ...} rules line")
    for g in rows:
        if "_comment" in g:
            continue
        tag = f"lists {g.get('id')}"
        errs += [f"{tag}: missing field {f!r}" for f in LIST_FIELDS if f not in g]
        doc = g.get("doc")
        if g.get("kind") != "list" or doc not in plans:
            errs.append(f"{tag}: kind must be list and doc one of the five plans")
            continue
        if (g.get("region"), g.get("year")) != PLANS[doc]:
            errs.append(f"{tag}: region/year do not match {doc}")
        text = plans[doc]
        anchors, also = g.get("anchors") or [], g.get("also") or []
        if not anchors:
            errs.append(f"{tag}: no anchors")
        for a in anchors + also:
            if not 10 <= len(squash(a)) <= 25:
                errs.append(f"{tag}: item is {len(squash(a))} characters (want 10-25): {a!r}")
            if squash(a) not in text:
                errs.append(f"{tag}: item not in {doc}: {a!r}")
        keys = [squash(a) for a in anchors + also]
        if len(set(keys)) != len(keys):
            errs.append(f"{tag}: duplicate items")
        if g.get("due"):
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", g["due"]) or g.get("department"):
                errs.append(f"{tag}: a due-date question has due=YYYY-MM-DD and department=null")
        elif not g.get("department") or not g.get("names"):
            errs.append(f"{tag}: a department question needs department and names")
    return errs


def unique_ids(name: str, rows: list[dict]) -> list[str]:
    ids = Counter(r.get("id") for r in rows if "_comment" not in r)
    return [f"{name}: id {i!r} used {n} times" for i, n in ids.items() if n > 1 or not i]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", default="knowledge/plans",
                    help="folder holding the five plans (knowledge/plans or ../shared/seeds)")
    args = ap.parse_args()
    plans = load_plans(Path(args.plans))

    questions = read_jsonl(HERE / "questions.jsonl")
    conversations = read_jsonl(HERE / "conversations.jsonl")
    lists = read_jsonl(HERE / "lists.jsonl") if (HERE / "lists.jsonl").exists() else []

    errs = unique_ids("questions", questions) + unique_ids("conversations", conversations) + unique_ids("lists", lists)
    errs += check_questions(questions, plans) + check_conversations(conversations, plans)
    if lists:
        errs += check_lists(lists, plans)

    print(f"questions.jsonl: {len(questions)} questions")
    by_style = Counter(g["style"] for g in questions)
    for style in sorted(by_style):
        kinds = Counter(g["kind"] for g in questions if g["style"] == style)
        print(f"  {style:<11}{by_style[style]:>4}  " + " ".join(f"{k}={kinds[k]}" for k in sorted(kinds)))
    kinds = Counter(g["kind"] for g in questions)
    print("  all kinds      " + " ".join(f"{k}={kinds[k]}" for k in sorted(kinds)))
    turns = [t for c in conversations for t in c["turns"]]
    print(f"conversations.jsonl: {len(conversations)} conversations, {len(turns)} turns "
          f"({len(turns) - len(conversations)} follow-ups); kinds "
          + " ".join(f"{k}={v}" for k, v in sorted(Counter(t['kind'] for t in turns).items())))
    items = [g for g in lists if "_comment" not in g]
    print(f"lists.jsonl: {len(items)} questions ({sum(1 for g in items if not g.get('due'))} department, "
          f"{sum(1 for g in items if g.get('due'))} due-date), "
          f"{sum(len(g['anchors']) for g in items)} required items")
    for e in errs:
        print("FAIL", e)
    print("OK: every check passed" if not errs else f"{len(errs)} problems")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Check the hand-written development sets dev_conversations_e.jsonl, dev_english_e.jsonl and dev_citizen_e.jsonl.

Standard library only.  Run from anywhere:

    python tests/bot/data/check_dev_e.py [--seeds DIR]

For every gold item (a single question, a conversation turn, and each of their `alt` options) it runs the
checks of check_dev_c.py and the round-D additions of check_dev_d.py:

* required fields are present and typed; `kind` is who|when|what|none; ids are unique across the three files;
* answerable items name an existing seed file in `doc` (and `also_docs`), a region and a year;
* every anchor is 10-25 characters, contains no whitespace, and occurs in the named seed (whitespace-insensitive;
  an anchor that only matches across a line break is reported as a note);
* who items carry units, each of which occurs in the seed; when items carry a deadline that occurs in the seed;
* none items carry no doc, anchors, units or deadline;
* conversation turns carry a `move` from the agreed list, and the first turn of each conversation is `new`;
* `style` values match the file (english; citizen / voice / kiosk / dialect / confirm; first / followup);
* kiosk questions are 4-10 characters; confirm questions and confirm_right / confirm_wrong turns say
  "前提正确" or "前提错误" in their note.

Round E adds:

* counts: at least 80 English questions, 45 Chinese questions, 30 conversations with 60 follow-up turns;
* ids are unique against every earlier set: the _c and _d files, own_singles.jsonl and the list files in this
  folder, and the shared sets in ../shared/eval (dev*.jsonl) when that folder exists;
* no single question or first turn repeats word for word a question of an earlier set (case and whitespace
  ignored; short follow-ups such as "Deadline?" or "时限" may recur).

Seeds are looked up in --seeds, else ../shared/seeds relative to the project root, else /work/shared/seeds.
Exit status 0 when clean, 1 otherwise.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_dev_c import ROOT, run  # noqa: E402  (the shared checks)
from check_dev_d import RoundD  # noqa: E402  (a check_dev_c.Checker subclass with round D's hooks)

EARLIER = ["dev_conversations_c.jsonl", "dev_english_c.jsonl", "dev_citizen_c.jsonl",
           "dev_conversations_d.jsonl", "dev_english_d.jsonl", "dev_citizen_d.jsonl",
           "dev_lists_d.jsonl", "dev_lists_d_none.jsonl", "own_singles.jsonl"]
SHARED_EVAL = [ROOT.parent / "shared" / "eval", Path("/work/shared/eval")]
WS = re.compile(r"\s+")


def _norm(q: str) -> str:
    return WS.sub("", q or "").lower()


def _questions(path: Path):
    for ln in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(ln) if ln.strip() else None
        except ValueError:
            continue
        if not isinstance(rec, dict):
            continue
        yield rec.get("id"), rec
        for t in rec.get("turns") or []:
            yield None, t


class RoundE(RoundD):
    files = {
        "dev_conversations_e.jsonl": "conv",
        "dev_english_e.jsonl": "english",
        "dev_citizen_e.jsonl": "citizen",
    }
    id_prefix = {"conv": "DCEc_", "english": "DEE_", "citizen": "DCE_"}
    min_count = {"conv": 30, "english": 80, "citizen": 45}
    min_followups = 60

    def __init__(self, seeds: Path):
        super().__init__(seeds)
        self.new_questions: dict[str, str] = {}

    def item(self, where: str, g: dict, main_style):
        q = _norm(g.get("question", ""))
        if q and main_style != {"followup"}:  # short follow-ups ("Deadline?", "时限") may recur
            self.new_questions.setdefault(q, where)
        super().item(where, g, main_style)

    def check_ids_against(self, folder: Path, names: list[str]) -> None:
        super().check_ids_against(folder, names)
        paths = [folder / n for n in names]
        for sh in SHARED_EVAL:
            if sh.is_dir():
                shared = sorted(sh.glob("dev*.jsonl"))
                super().check_ids_against(sh, [p.name for p in shared])
                paths += shared
                break
        for p in paths:
            if not p.exists():
                continue
            for _, rec in _questions(p):
                q = _norm(rec.get("question", ""))
                if q and q in self.new_questions:
                    self.err(self.new_questions[q], f"question repeats one in {p.name}")


if __name__ == "__main__":
    sys.exit(run(RoundE, __doc__, EARLIER))
